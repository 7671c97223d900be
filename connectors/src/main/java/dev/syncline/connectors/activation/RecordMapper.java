package dev.syncline.connectors.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Rejection;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Data activation: turns a source record into a destination object's record, then checks it against the object
 * before it is sent. Mapping renames, reads nested source paths into flat fields and converts types (text ↔
 * numbers, text → dates and timestamps, with a pattern or ISO 8601, text and numbers → booleans). Checking: a
 * required field present, the matching key present, and — by a JSON Schema made from the object's fields and
 * validated with networknt — formats (email, uri, uuid, ...) and maximum lengths. Every problem of the record is
 * reported, each with its field and code. Thread-confined: one mapper per sync.
 */
public final class RecordMapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Set<String> BOOLEAN_TRUE = Set.of("true", "t", "yes", "y", "1");
    private static final Set<String> BOOLEAN_FALSE = Set.of("false", "f", "no", "n", "0");

    /** One source path onto one object field, with an optional pattern for reading text into a date or timestamp. */
    public record Rule(List<String> source, Field target, String format) {
        public Rule {
            source = List.copyOf(source);
        }
    }

    /** The mapped record, and why it cannot be sent (empty: it can). */
    public record Outcome(MappedRecord payload, List<Rejection.Reason> reasons) {
        public boolean valid() {
            return reasons.isEmpty();
        }
    }

    private final List<Rule> rules;
    private final List<DateTimeFormatter> formatters;
    private final List<String> matchingKey;
    private final JsonSchema schema;

    /**
     * @param rules       the field mappings with the object's fields they write
     * @param matchingKey the object's fields records are matched by (must be present)
     */
    public RecordMapper(List<Rule> rules, List<String> matchingKey) {
        this.rules = List.copyOf(rules);
        this.matchingKey = List.copyOf(matchingKey);
        this.formatters = rules.stream().map(r -> r.format() == null ? null
                : DateTimeFormatter.ofPattern(r.format(), Locale.ROOT)).toList();
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "object");
        ObjectNode properties = s.putObject("properties");
        for (Rule r : rules) {
            Field f = r.target();
            ObjectNode p = properties.putObject(f.name());
            if (f.maxLength() != null && f.type() == FieldType.STRING) {
                p.put("maxLength", f.maxLength());
            }
            if (f.format() != null && f.type() == FieldType.STRING) {
                p.put("format", f.format());
            }
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        // no format and no length to check: no per-record JSON Schema validation at all (it is the costly part)
        this.schema = properties.properties().stream().anyMatch(p -> !p.getValue().isEmpty()) ? FACTORY.getSchema(s, config) : null;
    }

    public Outcome map(Map<String, Object> source) {
        MappedRecord payload = new MappedRecord(source);
        List<Rejection.Reason> reasons = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            Field f = r.target();
            Object raw = read(source, r.source());
            if (raw == null || (raw instanceof String str && str.isBlank() && f.type() != FieldType.STRING)) {
                payload.put(f.name(), null);
                if (!f.nullable() || matchingKey.contains(f.name())) {
                    reasons.add(new Rejection.Reason(f.name(), Rejection.Code.MISSING_REQUIRED, f.name() + " is required"
                            + (matchingKey.contains(f.name()) ? " (records are matched by it)" : "") + " but "
                            + String.join(".", r.source()) + " is empty"));
                }
                continue;
            }
            try {
                payload.put(f.name(), convert(raw, f.type(), formatters.get(i)));
            } catch (Mismatch e) {
                payload.put(f.name(), raw);
                reasons.add(new Rejection.Reason(f.name(), e.code, e.getMessage()));
            }
        }
        check(payload, reasons);
        return new Outcome(payload, reasons);
    }

    /** Formats and lengths, by the object's JSON Schema (text fields only: the rest was converted already). */
    private void check(Map<String, Object> payload, List<Rejection.Reason> reasons) {
        if (schema == null) {
            return;
        }
        ObjectNode node = JSON.createObjectNode();
        for (var e : payload.entrySet()) {
            if (e.getValue() instanceof String s) {
                node.put(e.getKey(), s);
            }
        }
        for (ValidationMessage m : schema.validate(node)) {
            String field = m.getInstanceLocation().getName(0);
            boolean known = reasons.stream().anyMatch(x -> field != null && field.equals(x.field()));
            if (known) {
                continue;
            }
            Object value = payload.get(field);
            switch (m.getType()) {
                case "maxLength" -> reasons.add(new Rejection.Reason(field, Rejection.Code.TOO_LONG, field + " is "
                        + ((String) value).codePointCount(0, ((String) value).length()) + " characters long; at most "
                        + m.getArguments()[0] + " fit"));
                case "format" -> reasons.add(new Rejection.Reason(field, Rejection.Code.INVALID_FORMAT, "'" + value
                        + "' is not a valid " + formatOf(field)));
                default -> reasons.add(new Rejection.Reason(field, Rejection.Code.TYPE_MISMATCH, m.getMessage()));
            }
        }
    }

    private String formatOf(String field) {
        return rules.stream().filter(r -> r.target().name().equals(field)).map(r -> r.target().format()).findFirst().orElse("value");
    }

    /** The value at a path: nested maps (and list indexes) are walked. */
    public static Object read(Map<String, Object> data, List<String> path) {
        Object current = data;
        for (String part : path) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(part);
            } else if (current instanceof List<?> l && part.chars().allMatch(Character::isDigit)) {
                int i = Integer.parseInt(part);
                current = i < l.size() ? l.get(i) : null;
            } else if (current instanceof JsonNode n) {
                current = n.get(part);
            } else {
                return null;
            }
        }
        if (current instanceof JsonNode n) {
            return n.isNull() ? null : n.isTextual() ? n.asText() : n.isIntegralNumber() ? n.asLong()
                    : n.isNumber() ? n.decimalValue() : n.isBoolean() ? n.asBoolean() : JSON.convertValue(n, Object.class);
        }
        return current;
    }

    static final class Mismatch extends Exception {
        final Rejection.Code code;

        Mismatch(Rejection.Code code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** The value as the object's field takes it: String, Long, BigDecimal, Boolean, ISO text for dates and times. */
    static Object convert(Object v, FieldType to, DateTimeFormatter format) throws Mismatch {
        return switch (to) {
            case STRING -> v instanceof Map || v instanceof List ? json(v) : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
            case INTEGER -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short) {
                    yield ((Number) v).longValue();
                }
                try {
                    BigDecimal d = v instanceof BigDecimal b ? b : v instanceof Number n ? new BigDecimal(n.toString())
                            : v instanceof String s ? new BigDecimal(s.trim()) : null;
                    if (d == null) {
                        throw new NumberFormatException();
                    }
                    yield d.longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw mismatch(v, "an integer");
                }
            }
            case NUMBER -> {
                try {
                    if (v instanceof BigDecimal b) {
                        yield b;
                    }
                    if (v instanceof Number n) {
                        yield new BigDecimal(n.toString());
                    }
                    if (v instanceof String s) {
                        yield new BigDecimal(s.trim());
                    }
                } catch (NumberFormatException e) {
                    // below
                }
                throw mismatch(v, "a number");
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    yield b;
                }
                String s = v.toString().trim().toLowerCase(Locale.ROOT);
                if (BOOLEAN_TRUE.contains(s)) {
                    yield true;
                }
                if (BOOLEAN_FALSE.contains(s)) {
                    yield false;
                }
                throw mismatch(v, "a boolean");
            }
            case DATE -> {
                if (v instanceof Number || v instanceof Boolean) {
                    throw mismatch(v, "a date");
                }
                try {
                    yield date(v.toString().trim(), format).toString();
                } catch (DateTimeParseException e) {
                    throw new Mismatch(Rejection.Code.INVALID_FORMAT, "'" + v + "' is not a date"
                            + (format == null ? " (yyyy-MM-dd)" : " in the mapping's pattern"));
                }
            }
            case TIMESTAMP, TIMESTAMP_TZ -> {
                if (v instanceof Number || v instanceof Boolean) {
                    throw mismatch(v, "a timestamp");
                }
                try {
                    yield timestamp(v.toString().trim(), format, to == FieldType.TIMESTAMP_TZ);
                } catch (DateTimeParseException e) {
                    throw new Mismatch(Rejection.Code.INVALID_FORMAT, "'" + v + "' is not a timestamp"
                            + (format == null ? " (ISO 8601)" : " in the mapping's pattern"));
                }
            }
            case TIME -> {
                try {
                    yield LocalTime.parse(v.toString().trim()).toString();
                } catch (DateTimeParseException e) {
                    throw new Mismatch(Rejection.Code.INVALID_FORMAT, "'" + v + "' is not a time (HH:mm:ss)");
                }
            }
            case OBJECT, ARRAY, BINARY -> v;
        };
    }

    private static Mismatch mismatch(Object v, String what) {
        String shown = v.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 60) + "…";
        }
        return new Mismatch(Rejection.Code.TYPE_MISMATCH, "'" + shown + "' is not " + what);
    }

    private static LocalDate date(String s, DateTimeFormatter format) {
        if (format != null) {
            return LocalDate.parse(s, format);
        }
        if (s.length() > 10) {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(s);
            return LocalDate.from(t);
        }
        return LocalDate.parse(s);
    }

    private static String timestamp(String s, DateTimeFormatter format, boolean withZone) {
        if (format != null) {
            TemporalAccessor t = format.parseBest(s, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            OffsetDateTime odt = t instanceof OffsetDateTime o ? o : t instanceof LocalDateTime l ? l.atOffset(ZoneOffset.UTC)
                    : ((LocalDate) t).atStartOfDay().atOffset(ZoneOffset.UTC);
            return withZone ? odt.toString() : odt.toLocalDateTime().toString();
        }
        TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
        if (t instanceof OffsetDateTime o) {
            return withZone ? o.toString() : o.toLocalDateTime().toString();
        }
        LocalDateTime l = (LocalDateTime) t;
        return withZone ? l.atOffset(ZoneOffset.UTC).toString() : l.toString();
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(v);
        }
    }
}
