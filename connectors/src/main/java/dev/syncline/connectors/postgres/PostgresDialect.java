package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.sql.SqlDialect;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlTableWriter;
import java.util.List;

/**
 * PostgreSQL's tables: staging tables are unlogged (nothing to recover after a crash: the attempt is retried), and
 * a dedup table's key is a unique index, which follows a replacement table when it is renamed.
 */
final class PostgresDialect implements SqlDialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();
    /** The default of {@code _syncline_meta} in the tables Syncline creates, as PostgreSQL prints it back. */
    static final String META_DEFAULT = "'{\"changes\": []}'::jsonb";

    private PostgresDialect() { }

    @Override
    public String columnType(FieldType type) {
        return switch (type) {
            case STRING -> "text";
            case BOOLEAN -> "boolean";
            case INTEGER -> "bigint";
            case NUMBER -> "numeric";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case OBJECT, ARRAY -> "jsonb";
            case BINARY -> "bytea";
        };
    }

    @Override
    public String uuidType() {
        return "uuid";
    }

    @Override
    public String metaDefault() {
        return " DEFAULT " + META_DEFAULT;
    }

    @Override
    public String sequenceType() {
        return "bigserial";
    }

    @Override
    public String stagingKind() {
        return "UNLOGGED ";
    }

    @Override
    public String stagingTable(String schema, String name) {
        return SqlIdentifiers.qualified(schema, name);
    }

    @Override
    public int maxIdentifierLength() {
        return SqlIdentifiers.MAX_LENGTH;
    }

    @Override
    public String keyClause(List<String> primaryKey) {
        return "";
    }

    @Override
    public List<String> keyStatements(String schema, String table, List<String> primaryKey) {
        return List.of("CREATE UNIQUE INDEX IF NOT EXISTS " + SqlIdentifiers.quote(keyIndex(table)) + " ON "
                + SqlIdentifiers.qualified(schema, table) + " (" + SqlTableWriter.quotedList(primaryKey) + ")");
    }

    @Override
    public List<String> renameKey(String schema, String from, String to) {
        return List.of("ALTER INDEX " + SqlIdentifiers.qualified(schema, keyIndex(from)) + " RENAME TO "
                + SqlIdentifiers.quote(keyIndex(to)));
    }

    private static String keyIndex(String table) {
        return SqlTableWriter.internalName("_syncline_pk_", table, SqlIdentifiers.MAX_LENGTH);
    }
}
