package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import java.util.List;

/**
 * Where one stream's rows go, fixed when the writer opens.
 *
 * @param finalTable  the table readers see
 * @param targetTable where merges go: the final table, or for overwrite modes the table that replaces it at the end
 * @param loadTable   where rows are loaded: the target itself, or for dedup modes the staging table
 * @param load        how statements name the load table (a staging table may live outside the schema)
 */
public record SqlTable(ConfiguredStream stream, String schema, String finalTable, String targetTable, String loadTable,
                       String load, List<SqlColumn> columns, List<String> primaryKey, String cursor) {

    public boolean dedup() {
        return dedup(stream.destinationSyncMode());
    }

    public boolean replacesFinal() {
        return !targetTable.equals(finalTable);
    }

    /** {@code "schema"."target"}. */
    public String target() {
        return SqlIdentifiers.qualified(schema, targetTable);
    }

    public boolean hasColumn(String name) {
        for (SqlColumn c : columns) {
            if (c.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean dedup(DestinationSyncMode mode) {
        return mode == DestinationSyncMode.APPEND_DEDUP || mode == DestinationSyncMode.OVERWRITE_DEDUP;
    }

    static boolean overwrite(DestinationSyncMode mode) {
        return mode == DestinationSyncMode.OVERWRITE || mode == DestinationSyncMode.OVERWRITE_DEDUP;
    }
}
