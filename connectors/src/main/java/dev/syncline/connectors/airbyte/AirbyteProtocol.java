package dev.syncline.connectors.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Airbyte protocol messages and catalogs, to and from Syncline's types. */
final class AirbyteProtocol {
    static final ObjectMapper JSON = new ObjectMapper();

    private AirbyteProtocol() { }

    /** A stream of an Airbyte CATALOG message. */
    static Stream stream(JsonNode s) {
        List<Field> fields = new ArrayList<>();
        s.path("json_schema").path("properties").properties().forEach(e -> fields.add(field(e.getKey(), e.getValue())));
        Set<SyncMode> modes = EnumSet.noneOf(SyncMode.class);
        s.path("supported_sync_modes").forEach(m -> SyncMode.fromWireName(m.asText()).ifPresent(modes::add));
        if (modes.isEmpty()) {
            modes.add(SyncMode.FULL_REFRESH);
        }
        List<String> cursor = new ArrayList<>();
        s.path("default_cursor_field").forEach(c -> cursor.add(c.asText()));
        List<List<String>> pk = new ArrayList<>();
        s.path("source_defined_primary_key").forEach(k -> {
            List<String> path = new ArrayList<>();
            k.forEach(p -> path.add(p.asText()));
            pk.add(path);
        });
        return new Stream(s.hasNonNull("namespace") ? s.get("namespace").asText() : null, s.path("name").asText(), fields,
                modes, s.path("source_defined_cursor").asBoolean(false), cursor, pk);
    }

    static Field field(String name, JsonNode schema) {
        List<Field> nested = new ArrayList<>();
        FieldType type = type(schema);
        if (type == FieldType.OBJECT) {
            schema.path("properties").properties().forEach(e -> nested.add(field(e.getKey(), e.getValue())));
        }
        return new Field(name, type, true, nested);
    }

    static FieldType type(JsonNode schema) {
        List<String> types = new ArrayList<>();
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            t.forEach(x -> types.add(x.asText()));
        } else if (t.isTextual()) {
            types.add(t.asText());
        }
        types.remove("null");
        String airbyteType = schema.path("airbyte_type").asText("");
        String format = schema.path("format").asText("");
        if (types.size() != 1) {
            return types.isEmpty() && schema.has("properties") ? FieldType.OBJECT : FieldType.STRING;
        }
        return switch (types.getFirst()) {
            case "object" -> FieldType.OBJECT;
            case "array" -> FieldType.ARRAY;
            case "boolean" -> FieldType.BOOLEAN;
            case "integer" -> FieldType.INTEGER;
            case "number" -> airbyteType.equals("integer") ? FieldType.INTEGER : FieldType.NUMBER;
            case "string" -> switch (format) {
                case "date-time" -> airbyteType.equals("timestamp_without_timezone") ? FieldType.TIMESTAMP : FieldType.TIMESTAMP_TZ;
                case "date" -> FieldType.DATE;
                case "time" -> FieldType.TIME;
                default -> "base64".equals(schema.path("contentEncoding").asText()) ? FieldType.BINARY : FieldType.STRING;
            };
            default -> FieldType.STRING;
        };
    }

    static ObjectNode jsonSchema(List<Field> fields) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        for (Field f : fields) {
            ObjectNode p = props.putObject(f.name());
            ArrayNode type = p.putArray("type").add("null");
            switch (f.type()) {
                case INTEGER -> type.add("integer");
                case NUMBER -> type.add("number");
                case BOOLEAN -> type.add("boolean");
                case OBJECT -> {
                    type.add("object");
                    if (!f.fields().isEmpty()) {
                        p.set("properties", jsonSchema(f.fields()).get("properties"));
                    }
                }
                case ARRAY -> type.add("array");
                default -> type.add("string");
            }
            switch (f.type()) {
                case DATE -> p.put("format", "date");
                case TIME -> p.put("format", "time");
                case TIMESTAMP -> p.put("format", "date-time").put("airbyte_type", "timestamp_without_timezone");
                case TIMESTAMP_TZ -> p.put("format", "date-time").put("airbyte_type", "timestamp_with_timezone");
                case BINARY -> p.put("contentEncoding", "base64");
                default -> { }
            }
        }
        return schema;
    }

    /** The configured catalog file for {@code read --catalog}. */
    static ObjectNode configuredCatalog(ConfiguredCatalog catalog) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode streams = root.putArray("streams");
        for (ConfiguredStream cs : catalog.streams()) {
            ObjectNode c = streams.addObject();
            ObjectNode s = c.putObject("stream");
            s.put("name", cs.stream().name());
            if (cs.stream().namespace() != null) {
                s.put("namespace", cs.stream().namespace());
            }
            s.set("json_schema", jsonSchema(cs.fields()));
            ArrayNode modes = s.putArray("supported_sync_modes");
            cs.stream().supportedSyncModes().forEach(m -> modes.add(m.wireName()));
            c.put("sync_mode", cs.syncMode().wireName());
            c.put("destination_sync_mode", cs.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP
                    ? "overwrite_dedup" : cs.destinationSyncMode().wireName());
            ArrayNode cursor = c.putArray("cursor_field");
            cs.cursorField().forEach(cursor::add);
            ArrayNode pk = c.putArray("primary_key");
            cs.primaryKey().forEach(k -> {
                ArrayNode path = pk.addArray();
                k.forEach(path::add);
            });
        }
        return root;
    }

    /**
     * The state file for {@code read --state}, as the Airbyte platform writes it: the whole source's state as it came
     * (a GLOBAL state as a list of that one message, a LEGACY state as its bare data), else one STREAM state per stream.
     */
    static JsonNode stateFile(Map<String, JsonNode> state, ConfiguredCatalog catalog) {
        JsonNode whole = state.get(SourceMessage.StateMessage.WHOLE_SOURCE);
        if (whole != null) {
            return whole.path("type").asText().equals("GLOBAL") ? JSON.createArrayNode().add(whole) : whole.path("data");
        }
        ArrayNode out = JSON.createArrayNode();
        for (ConfiguredStream cs : catalog.streams()) {
            JsonNode s = state.get(cs.stream().qualifiedName());
            if (s == null) {
                continue;
            }
            ObjectNode m = out.addObject().put("type", "STREAM");
            ObjectNode stream = m.putObject("stream");
            ObjectNode d = stream.putObject("stream_descriptor").put("name", cs.stream().name());
            if (cs.stream().namespace() != null) {
                d.put("namespace", cs.stream().namespace());
            }
            stream.set("stream_state", s);
        }
        return out;
    }
}
