package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.FieldType;

/** A column of a final table: the source field it comes from, its identifier and PostgreSQL type. */
record PgColumn(String field, String name, FieldType type, boolean primaryKey) {

    String sqlType() {
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
}
