package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a user's config into its record, as {@link ConfigSchema#read} says: defaults applied, constraints checked. */
final class ConfigReader {
    private ConfigReader() { }

    static <R extends Record> R read(JsonNode config, Class<R> type) throws ConnectorException {
        return type.cast(record(config == null ? MissingNode.getInstance() : config, type, ""));
    }

    private static Object record(JsonNode object, Class<?> type, String prefix) throws ConnectorException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            Setting s = c.getAnnotation(Setting.class);
            args[i] = s != null && s.inline() ? record(object, c.getType(), prefix)
                    : setting(object.get(ConfigSchema.name(c)), c.getAnnotatedType(), s, prefix + ConfigSchema.name(c));
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, invalid.getMessage());
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " cannot be made", e);
        }
    }

    private static Object setting(JsonNode v, AnnotatedType annotated, Setting s, String name) throws ConnectorException {
        Class<?> raw = ConfigSchema.raw(annotated.getType());
        if (v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isEmpty())) {
            JsonNode dflt = ConfigSchema.defaultOf(s, raw);
            if (dflt == null) {
                if (s != null && s.required()) {
                    throw invalid(name + " is required");
                }
                return null;
            }
            v = dflt;
        }
        return value(v, annotated, s, name);
    }

    private static Object value(JsonNode v, AnnotatedType annotated, Setting s, String name) throws ConnectorException {
        Class<?> raw = ConfigSchema.raw(annotated.getType());
        if (raw == String.class) {
            if (!v.isValueNode()) {
                throw invalid(name + " must be a text");
            }
            String text = v.asText();
            if (s != null && s.minLength() >= 0 && text.length() < s.minLength()) {
                throw invalid(name + " must have at least " + s.minLength() + " character(s)");
            }
            if (s != null && s.maxLength() >= 0 && text.length() > s.maxLength()) {
                throw invalid(name + " must have at most " + s.maxLength() + " character(s)");
            }
            return text;
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            // a whole number written as text ("5432"), as configurations saved before the spec was checked may hold
            // and as the readers before this one took it
            if (v.isTextual() && v.asText().strip().matches("-?\\d{1,19}")) {
                try {
                    v = com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(v.asText().strip()));
                } catch (NumberFormatException e) {
                    throw invalid(name + " is out of range");
                }
            }
            if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
                throw invalid(name + " must be an integer");
            }
            boolean isInt = raw == int.class || raw == Integer.class;
            long n = v.asLong();
            long min = s == null || s.minimum() == Long.MIN_VALUE ? (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) : s.minimum();
            long max = s == null || s.maximum() == Long.MAX_VALUE ? (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE) : s.maximum();
            if (n < min || n > max || (isInt && !v.canConvertToInt())) {
                boolean lower = s != null && s.minimum() != Long.MIN_VALUE;
                boolean upper = s != null && s.maximum() != Long.MAX_VALUE;
                throw invalid(name + (lower && upper ? " must be between " + min + " and " + max
                        : lower ? " must be at least " + min : upper ? " must be at most " + max : " is out of range"));
            }
            if (isInt) {
                return (int) n; // not "isInt ? (int) n : n": that would widen both to long
            }
            return n;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (v.isTextual() && (v.asText().strip().equalsIgnoreCase("true") || v.asText().strip().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(v.asText().strip()); // "true" as text, taken as the readers before this one did
            }
            if (!v.isBoolean()) {
                throw invalid(name + " must be true or false");
            }
            return v.asBoolean();
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                if (v.isTextual() && ConfigSchema.wireName((Enum<?>) constant).equals(v.asText())) {
                    return constant;
                }
                names.add(ConfigSchema.wireName((Enum<?>) constant));
            }
            throw invalid(name + " must be " + String.join(" or ", names) + ", not " + v.asText());
        }
        if (raw == List.class) {
            if (!v.isArray()) {
                throw invalid(name + " must be a list");
            }
            if (s != null && s.minItems() >= 0 && v.size() < s.minItems()) {
                throw invalid(name + " needs at least " + s.minItems() + " item(s)");
            }
            AnnotatedType item = ConfigSchema.typeArgument(annotated, 0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isNull()) {
                    throw invalid(name + "[" + i + "] must not be null");
                }
                out.add(value(v.get(i), item, item.getAnnotation(Setting.class), name + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (!v.isObject()) {
            throw invalid(name + " must be an object");
        }
        if (s != null && s.minProperties() >= 0 && v.size() < s.minProperties()) {
            throw invalid(name + " needs at least " + s.minProperties() + " entr" + (s.minProperties() == 1 ? "y" : "ies"));
        }
        if (raw == Map.class) {
            AnnotatedType valueType = ConfigSchema.typeArgument(annotated, 1);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (e.getValue().isNull()) {
                    throw invalid(name + "." + e.getKey() + " must not be null");
                }
                Setting entry = valueType.getAnnotation(Setting.class);
                out.put(e.getKey(), value(e.getValue(), valueType, entry, name + "." + e.getKey()));
            }
            return Collections.unmodifiableMap(out);
        }
        if (raw.isRecord()) {
            return record(v, raw, name + ".");
        }
        return v.deepCopy();
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException(ConnectorException.Type.CONFIG, message);
    }
}
