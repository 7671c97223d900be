package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an ELT destination writes each stream: its schema and table, and each field's column, all normalised by
 * {@link SqlIdentifiers}. Normalising can make two names one ({@code Users} and {@code users}, {@code a-b} and
 * {@code a_b}): {@link #checkDistinct} refuses such a catalog before anything is created, so two streams never
 * share a table and two fields never share a column.
 */
public final class SqlTargets {
    /** The columns Syncline adds to every table it writes, and the staging tables' sequence. */
    public static final List<String> OWN_COLUMNS = List.of("_syncline_raw_id", "_syncline_extracted_at",
            "_syncline_generation_id", "_syncline_meta", "_syncline_seq");
    /** Tables whose names start so are Syncline's own (staging, overwrite's replacement), never a stream's. */
    public static final String OWN_TABLE_PREFIX = "_syncline";

    private SqlTargets() { }

    public static String schema(ConfiguredStream s, String defaultSchema) {
        return SqlIdentifiers.normalize(s.destinationNamespace() != null ? s.destinationNamespace() : defaultSchema);
    }

    public static String table(ConfiguredStream s) {
        return SqlIdentifiers.normalize(s.destinationName() != null ? s.destinationName() : s.stream().name());
    }

    /**
     * Fails with a configuration error (a retry cannot help) naming both streams that would be written to one table,
     * or both fields of a stream that would be written to one column, or a stream or field that would take one of
     * Syncline's own names. A last defence: connection setup refuses these too, but a connection saved before that
     * check, or a catalog that changed since, still reaches the destination.
     */
    public static void checkDistinct(ConfiguredCatalog catalog, String defaultSchema) throws ConnectorException {
        Map<String, ConfiguredStream> tables = new HashMap<>();
        for (ConfiguredStream s : catalog.streams()) {
            String schema = schema(s, defaultSchema);
            String table = table(s);
            if (table.startsWith(OWN_TABLE_PREFIX)) {
                throw config("stream " + s.stream().qualifiedName() + " would be written to table " + schema + "." + table
                        + ", a name Syncline keeps for its own tables: give it another destination name");
            }
            ConfiguredStream other = tables.putIfAbsent(schema + "." + table, s);
            if (other != null) {
                throw config("streams " + other.stream().qualifiedName() + " and " + s.stream().qualifiedName()
                        + " would both be written to table " + schema + "." + table
                        + ": give one another destination name (or a prefix) so each has a table of its own");
            }
            Map<String, Field> columns = new HashMap<>();
            for (Field f : s.fields()) {
                String column = SqlIdentifiers.normalize(f.name());
                if (OWN_COLUMNS.contains(column)) {
                    throw config("field " + f.name() + " of stream " + s.stream().qualifiedName() + " would be written to column "
                            + column + ", which Syncline keeps for its own use: deselect the field");
                }
                Field same = columns.putIfAbsent(column, f);
                if (same != null) {
                    throw config("fields " + same.name() + " and " + f.name() + " of stream " + s.stream().qualifiedName()
                            + " would both be written to column " + column + " of " + schema + "." + table
                            + ": deselect one of them");
                }
            }
        }
    }

    private static ConnectorException config(String message) {
        return new ConnectorException(ConnectorException.Type.CONFIG, message);
    }
}
