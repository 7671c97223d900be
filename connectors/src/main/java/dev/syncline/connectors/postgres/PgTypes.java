package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.FieldType;

/** PostgreSQL types onto Syncline's, by type name first and type category second. */
public final class PgTypes {
    private PgTypes() { }

    /**
     * @param typname  pg_type.typname (for a domain: its base type's)
     * @param category pg_type.typcategory
     * @param typtype  pg_type.typtype (e for enums)
     */
    public static FieldType of(String typname, String category, String typtype) {
        if ("e".equals(typtype)) {
            return FieldType.STRING;
        }
        return switch (typname) {
            case "int2", "int4", "int8", "oid", "xid" -> FieldType.INTEGER;
            case "numeric", "float4", "float8" -> FieldType.NUMBER;
            case "bool" -> FieldType.BOOLEAN;
            case "date" -> FieldType.DATE;
            case "time", "timetz" -> FieldType.TIME;
            case "timestamp" -> FieldType.TIMESTAMP;
            case "timestamptz" -> FieldType.TIMESTAMP_TZ;
            case "json", "jsonb" -> FieldType.OBJECT;
            case "bytea" -> FieldType.BINARY;
            // money prints with a currency sign, intervals and network types as text: all kept as strings
            default -> "A".equals(category) ? FieldType.ARRAY : FieldType.STRING;
        };
    }
}
