package dev.syncline.connectors.duckdb;

import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.sql.SqlDialect;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlTableWriter;
import java.util.List;

/**
 * DuckDB's tables: staging tables are temporary (they end with the connection, so a killed attempt leaves none),
 * and a dedup table declares its primary key, which ON CONFLICT needs.
 */
final class DuckDbDialect implements SqlDialect {
    static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private DuckDbDialect() { }

    @Override
    public String columnType(FieldType type) {
        return switch (type) {
            case STRING -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case OBJECT, ARRAY -> "JSON";
            case BINARY -> "BLOB";
        };
    }

    @Override
    public String uuidType() {
        return "VARCHAR";
    }

    @Override
    public String metaDefault() {
        return "";
    }

    @Override
    public String sequenceType() {
        return "BIGINT";
    }

    @Override
    public String stagingKind() {
        return "TEMP ";
    }

    /** Temporary tables live in DuckDB's own temp schema: named bare. */
    @Override
    public String stagingTable(String schema, String name) {
        return SqlIdentifiers.quote(name);
    }

    /** DuckDB has no limit worth cutting at: names stay whole, as they always were. */
    @Override
    public int maxIdentifierLength() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String keyClause(List<String> primaryKey) {
        return ", PRIMARY KEY (" + SqlTableWriter.quotedList(primaryKey) + ")";
    }

    @Override
    public List<String> keyStatements(String schema, String table, List<String> primaryKey) {
        return List.of();
    }

    @Override
    public List<String> renameKey(String schema, String from, String to) {
        return List.of();
    }
}
