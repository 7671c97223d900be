package dev.syncline.connectors.files;

import dev.syncline.connectors.spi.FieldType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The narrowest Syncline type every sampled value of a field fits: integer, number, boolean, date, timestamp_tz, else string. */
final class TypeInference {
    private TypeInference() { }

    static FieldType widen(FieldType current, Object value) {
        if (value == null) {
            return current;
        }
        FieldType t = typeOf(value);
        if (current == null || current == t) {
            return t;
        }
        if ((current == FieldType.INTEGER && t == FieldType.NUMBER) || (current == FieldType.NUMBER && t == FieldType.INTEGER)) {
            return FieldType.NUMBER;
        }
        if ((current == FieldType.DATE && t == FieldType.TIMESTAMP_TZ) || (current == FieldType.TIMESTAMP_TZ && t == FieldType.DATE)) {
            return FieldType.STRING;
        }
        return FieldType.STRING;
    }

    static FieldType typeOf(Object v) {
        if (v instanceof Long || v instanceof Integer) {
            return FieldType.INTEGER;
        }
        if (v instanceof BigDecimal || v instanceof Double) {
            return FieldType.NUMBER;
        }
        if (v instanceof Boolean) {
            return FieldType.BOOLEAN;
        }
        if (v instanceof Map) {
            return FieldType.OBJECT;
        }
        if (v instanceof List) {
            return FieldType.ARRAY;
        }
        String s = v.toString().trim();
        if (s.matches("[-+]?\\d{1,18}")) {
            return FieldType.INTEGER;
        }
        if (s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return FieldType.NUMBER;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return FieldType.BOOLEAN;
        }
        try {
            LocalDate.parse(s);
            return FieldType.DATE;
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        try {
            OffsetDateTime.parse(s);
            return FieldType.TIMESTAMP_TZ;
        } catch (DateTimeParseException ignored) {
            // not a timestamp
        }
        return FieldType.STRING;
    }

    /** A raw value as the type inferred for its field (CSV values arrive as text). */
    static Object convert(Object v, FieldType type) {
        if (!(v instanceof String s)) {
            return v;
        }
        try {
            return switch (type) {
                case INTEGER -> Long.parseLong(s.trim());
                case NUMBER -> new BigDecimal(s.trim());
                case BOOLEAN -> s.trim().equalsIgnoreCase("true") ? Boolean.TRUE
                        : s.trim().equalsIgnoreCase("false") ? Boolean.FALSE : s;
                default -> s;
            };
        } catch (NumberFormatException e) {
            return s; // a later row that does not fit the sample: the destination decides (NULL + meta in ELT)
        }
    }
}
