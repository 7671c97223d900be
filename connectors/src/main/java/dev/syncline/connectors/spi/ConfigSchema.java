package dev.syncline.connectors.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector's config declared once, as a record whose components carry {@link Setting}s: the JSON Schema its
 * definition lists ({@link #of}) and the reading of a user's config ({@link #read}) both come from that record, so a
 * default, a required flag, a bound, an enum or a secret mark cannot differ between the spec and the Java (the idea of
 * Kafka Connect's {@code ConfigDef} and of the JSON schema Airbyte's bulk CDK generates from its config class).
 * <ul>
 *   <li>Names: component {@code maxParallelStreams} is the property {@code max_parallel_streams}; properties keep the
 *       components' order (the order of the console's form).</li>
 *   <li>Types: {@code String}; {@code int}/{@code long} (boxed when there is no default and it may be absent);
 *       {@code boolean}; an enum (its constants in lower case); {@code List<T>}; {@code Map<String, T>} (an object of
 *       named entries); {@code JsonNode} (an object passed on as it is); a nested record (an object of its own, or its
 *       settings at this level when {@link Setting#inline()}).</li>
 *   <li>Reading: an absent, null or empty-text setting takes its default; without one it is null, or, when required,
 *       a {@link ConnectorException.Type#CONFIG CONFIG} error naming it. Types, bounds, lengths, counts and enums are
 *       checked as the spec says; a record's own constructor checks what spans settings (throwing
 *       {@link IllegalArgumentException}, which becomes a CONFIG error). Unknown properties are left to the spec's
 *       validation on save, as before.</li>
 * </ul>
 */
public final class ConfigSchema {
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Class<?>, ObjectNode> SPECS = new ConcurrentHashMap<>();

    private ConfigSchema() { }

    /** The JSON Schema of {@code config} (a fresh copy): title and description from the record's own {@link Setting}. */
    public static ObjectNode of(Class<? extends Record> config) {
        return SPECS.computeIfAbsent(config, ConfigSchema::spec).deepCopy();
    }

    /** {@code config} read into {@code type}: defaults applied and every declared constraint checked. */
    public static <R extends Record> R read(JsonNode config, Class<R> type) throws ConnectorException {
        return ConfigReader.read(config, type);
    }

    /** The property a component is: {@code quoteChar} is {@code quote_char}. */
    static String name(RecordComponent component) {
        StringBuilder out = new StringBuilder();
        for (char c : component.getName().toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- the spec ----

    private static ObjectNode spec(Class<?> type) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("$schema", DRAFT);
        Setting top = type.getAnnotation(Setting.class);
        if (top != null && !top.title().isEmpty()) {
            spec.put("title", top.title());
        }
        if (top != null && !top.description().isEmpty()) {
            spec.put("description", top.description());
        }
        object(type, spec);
        return spec;
    }

    private static void object(Class<?> type, ObjectNode into) {
        into.put("type", "object");
        ArrayNode required = JSON.createArrayNode();
        ObjectNode properties = JSON.createObjectNode();
        properties(type, required, properties);
        if (!required.isEmpty()) {
            into.set("required", required);
        }
        into.put("additionalProperties", false);
        into.set("properties", properties);
    }

    private static void properties(Class<?> type, ArrayNode required, ObjectNode properties) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is not a record: a config is declared as one");
        }
        for (RecordComponent c : type.getRecordComponents()) {
            Setting s = c.getAnnotation(Setting.class);
            if (s != null && s.inline()) {
                properties(c.getType(), required, properties);
                continue;
            }
            String name = name(c);
            if (s != null && s.required()) {
                required.add(name);
            }
            if (c.getType().isPrimitive() && (s == null || (s.defaultValue().isEmpty() && !s.required()))) {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName()
                        + " may be absent and has no default: declare a default, or make it required, or boxed");
            }
            properties.set(name, property(c.getAnnotatedType(), s));
        }
    }

    private static ObjectNode property(AnnotatedType annotated, Setting s) {
        Class<?> raw = raw(annotated.getType());
        ObjectNode p = JSON.createObjectNode();
        p.put("type", jsonType(raw));
        if (s != null && !s.title().isEmpty()) {
            p.put("title", s.title());
        }
        if (s != null && !s.description().isEmpty()) {
            p.put("description", s.description());
        }
        if (raw.isEnum()) {
            ArrayNode values = p.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(wireName((Enum<?>) constant));
            }
        } else if (raw == List.class) {
            AnnotatedType item = typeArgument(annotated, 0);
            p.set("items", property(item, item.getAnnotation(Setting.class)));
        } else if (raw == Map.class) {
            AnnotatedType value = typeArgument(annotated, 1);
            p.set("additionalProperties", property(value, value.getAnnotation(Setting.class)));
        } else if (raw.isRecord()) {
            object(raw, p);
        }
        if (s != null) {
            constraints(s, raw, p);
        }
        return p;
    }

    private static void constraints(Setting s, Class<?> raw, ObjectNode p) {
        if (s.minimum() != Long.MIN_VALUE) {
            p.set("minimum", number(s.minimum()));
        }
        if (s.maximum() != Long.MAX_VALUE) {
            p.set("maximum", number(s.maximum()));
        }
        if (s.minLength() >= 0) {
            p.put("minLength", s.minLength());
        }
        if (s.maxLength() >= 0) {
            p.put("maxLength", s.maxLength());
        }
        if (s.minItems() >= 0) {
            p.put("minItems", s.minItems());
        }
        if (s.minProperties() >= 0) {
            p.put("minProperties", s.minProperties());
        }
        if (!s.pattern().isEmpty()) {
            p.put("pattern", s.pattern());
        }
        if (!s.patternMessage().isEmpty()) {
            p.put("x-pattern-message", s.patternMessage());
        }
        JsonNode dflt = defaultOf(s, raw);
        if (dflt != null) {
            p.set("default", dflt);
        }
        if (s.examples().length > 0) {
            ArrayNode examples = p.putArray("examples");
            Arrays.stream(s.examples()).forEach(examples::add);
        }
        if (s.secret()) {
            p.put("secret", true);
        }
    }

    private static String jsonType(Class<?> raw) {
        if (raw == String.class || raw.isEnum()) {
            return "string";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "integer";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "boolean";
        }
        if (raw == List.class) {
            return "array";
        }
        if (raw == Map.class || JsonNode.class.isAssignableFrom(raw) || raw.isRecord()) {
            return "object";
        }
        throw new IllegalStateException("a setting cannot be a " + raw.getName());
    }

    private static JsonNode number(long n) {
        return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? JSON.getNodeFactory().numberNode((int) n)
                : JSON.getNodeFactory().numberNode(n);
    }

    static JsonNode defaultOf(Setting s, Class<?> raw) {
        if (s == null || s.defaultValue().isEmpty()) {
            return null;
        }
        if (raw == String.class || raw.isEnum()) {
            return TextNode.valueOf(s.defaultValue());
        }
        try {
            return JSON.readTree(s.defaultValue());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default " + s.defaultValue() + " is not JSON", e);
        }
    }

    static String wireName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    static AnnotatedType typeArgument(AnnotatedType annotated, int i) {
        if (!(annotated instanceof AnnotatedParameterizedType p)) {
            throw new IllegalStateException(annotated.getType() + " needs its type arguments");
        }
        return p.getAnnotatedActualTypeArguments()[i];
    }
}
