package dev.syncline.connectors.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.JsonText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Converts a record's value to the canonical text of its Syncline type (what SQL databases cast from, and what
 * PostgreSQL's COPY reads), or says why it cannot.
 */
public final class SqlValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The converted text, or the reason it could not be converted. Exactly one is non-null (both null = SQL NULL). */
    public record Converted(String text, String error) {
        public static final Converted NULL = new Converted(null, null);
    }

    private SqlValues() { }

    public static Converted convert(Object value, FieldType type) {
        if (value == null) {
            return Converted.NULL;
        }
        Converted fast = fast(value, type);
        if (fast != null) {
            return fast;
        }
        try {
            return new Converted(switch (type) {
                case STRING -> value instanceof Map || value instanceof List ? JSON.writeValueAsString(value) : value.toString();
                case BOOLEAN -> bool(value);
                case INTEGER -> integer(value);
                case NUMBER -> number(value);
                case DATE -> LocalDate.parse(value.toString()).toString();
                // formatters, not toString(): toString() drops zero seconds, which some databases refuse
                case TIME -> DateTimeFormatter.ISO_LOCAL_TIME.format(LocalTime.parse(value.toString()));
                case TIMESTAMP -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.parse(value.toString()));
                case TIMESTAMP_TZ -> timestampTz(value);
                case OBJECT, ARRAY -> json(value);
                case BINARY -> binary(value);
            }, null);
        } catch (ArithmeticException | DateTimeParseException | JsonProcessingException
                 | IllegalArgumentException e) {
            return new Converted(null, describe(value) + " is not a valid " + type.wireName());
        }
    }

    /** The common cases without parsing: a value that already has the column's Java type. */
    private static Converted fast(Object v, FieldType type) {
        String text = switch (type) {
            case INTEGER -> v instanceof Long || v instanceof Integer ? v.toString() : null;
            case NUMBER -> v instanceof BigDecimal || v instanceof Long || v instanceof Integer ? v.toString() : null;
            case STRING -> v instanceof String s ? s : v instanceof JsonText j ? j.json() : null;
            case BOOLEAN -> v instanceof Boolean ? v.toString() : null;
            case TIMESTAMP_TZ -> v instanceof OffsetDateTime o ? IsoText.of(o)
                    : v instanceof Instant i ? i.toString() : null;
            case TIMESTAMP -> v instanceof LocalDateTime l ? IsoText.of(l) : null;
            case DATE -> v instanceof LocalDate d ? d.toString() : null;
            case TIME -> v instanceof LocalTime t ? IsoText.of(t) : null;
            case OBJECT, ARRAY -> v instanceof JsonText j ? j.json() : null;
            case BINARY -> null;
        };
        return text == null ? null : new Converted(text, null);
    }

    private static String describe(Object value) {
        String s = value instanceof String str ? "'" + str + "'" : String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 77) + "...'" : s;
    }

    private static String bool(Object v) {
        if (v instanceof Boolean b) {
            return b.toString();
        }
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) {
            return s;
        }
        throw new IllegalArgumentException();
    }

    private static String integer(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof BigInteger b) {
            return BigInteger.valueOf(b.longValueExact()).toString();
        }
        // throws ArithmeticException when there is a fraction or it does not fit in a bigint
        return Long.toString(new BigDecimal(v.toString().trim()).longValueExact());
    }

    private static String number(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
        if (v instanceof Boolean) {
            throw new IllegalArgumentException();
        }
        return new BigDecimal(v.toString().trim()).toString();
    }

    private static String timestampTz(Object v) {
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof OffsetDateTime o) {
            return IsoText.of(o);
        }
        String s = v.toString();
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(s));
        } catch (DateTimeParseException e) {
            return Instant.parse(s).toString();
        }
    }

    private static String json(Object v) throws JsonProcessingException {
        if (v instanceof String s) {
            JSON.readTree(s); // must be valid JSON already
            return s;
        }
        return JSON.writeValueAsString(v);
    }

    private static String binary(Object v) {
        byte[] bytes = v instanceof byte[] b ? b : Base64.getDecoder().decode(v.toString());
        return "\\x" + HexFormat.of().formatHex(bytes);
    }

    /** Appends {@code text} escaped for COPY's text format (NULL is {@code \N}). */
    public static void appendCopyText(StringBuilder out, String text) {
        if (text == null) {
            out.append("\\N");
            return;
        }
        int n = text.length();
        int first = 0;
        while (first < n) {
            char c = text.charAt(first);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
                break;
            }
            first++;
        }
        out.append(text, 0, first); // most values have nothing to escape: one bulk copy
        for (int i = first; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> { } // PostgreSQL text cannot hold NUL; dropped
                default -> out.append(c);
            }
        }
    }
}
