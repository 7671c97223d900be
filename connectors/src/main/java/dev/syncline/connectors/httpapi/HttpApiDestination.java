package dev.syncline.connectors.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.ActivationDestination;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.InsertionMethodSpec;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.WriteListener;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A generic JSON-over-HTTP activation destination: its objects, their fields and insertion methods come from the
 * configuration (a JSON Schema per object, an endpoint per method), its writer posts records in batches and turns
 * the API's per-record errors into rejections.
 */
public final class HttpApiDestination implements ActivationDestination {
    public static final String ID = "http-api";
    private static final ObjectNode SPEC = ConfigSchema.of(HttpApiSettings.class);

    private final ConnectorReach reach;

    /** {@code reach}: never Syncline's own addresses. */
    public HttpApiDestination(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        try {
            HttpApiClient.checkReach(java.net.URI.create(HttpApiClient.baseUrl(ConfigSchema.read(config, HttpApiSettings.Api.class))),
                    reach);
            return List.of();
        } catch (ReachRefused e) {
            return List.of(e.of("base_url"));
        } catch (ConnectorException | IllegalArgumentException e) {
            return List.of(); // not a URL, or a name that does not resolve now: the spec's validation, or the check, says so
        }
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "HTTP API (data activation)", ConnectorKind.DESTINATION_ACTIVATION, SPEC.deepCopy());
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            HttpApiSettings.Api api = ConfigSchema.read(config, HttpApiSettings.Api.class);
            HttpResponse<String> r = HttpApiClient.of(api, reach).get(api.checkPath());
            if (r.statusCode() / 100 == 2) {
                return CheckResult.ok();
            }
            return CheckResult.failed("GET " + r.uri() + " answered " + r.statusCode()
                    + (r.statusCode() == 401 || r.statusCode() == 403 ? ": check the auth header" : ""));
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discoverObjects(JsonNode config) throws ConnectorException {
        List<Stream> out = new ArrayList<>();
        for (var e : ConfigSchema.read(config, HttpApiSettings.class).objects().entrySet()) {
            out.add(object(e.getKey(), e.getValue()));
        }
        return new Catalog(out);
    }

    /** One object of the configuration: fields from its JSON Schema, a method per endpoint with the matching keys. */
    static Stream object(String name, HttpApiSettings.ApiObject o) {
        JsonNode schema = o.schema();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<Field> fields = new ArrayList<>();
        for (var p : schema.path("properties").properties()) {
            JsonNode t = p.getValue();
            String format = t.path("format").isTextual() ? t.path("format").asText() : null;
            FieldType type = switch (t.path("type").isArray() ? firstNonNull(t.path("type")) : t.path("type").asText("string")) {
                case "integer" -> FieldType.INTEGER;
                case "number" -> FieldType.NUMBER;
                case "boolean" -> FieldType.BOOLEAN;
                case "object" -> FieldType.OBJECT;
                case "array" -> FieldType.ARRAY;
                default -> "date".equals(format) ? FieldType.DATE : "date-time".equals(format) ? FieldType.TIMESTAMP_TZ : FieldType.STRING;
            };
            Integer maxLength = t.path("maxLength").isInt() ? t.path("maxLength").asInt() : null;
            fields.add(new Field(p.getKey(), type, !required.contains(p.getKey()), List.of(),
                    type == FieldType.STRING ? format : null, maxLength));
        }
        List<List<String>> keys = o.matchingKeys();
        List<InsertionMethodSpec> methods = new ArrayList<>();
        for (InsertionMethod m : InsertionMethod.values()) {
            if (o.endpoints().path(m) == null) {
                continue;
            }
            if (!m.needsMatchingKey()) {
                methods.add(new InsertionMethodSpec(m, List.of()));
            } else if (!keys.isEmpty()) {
                methods.add(new InsertionMethodSpec(m, keys));
            }
        }
        return new Stream(null, name, fields, Set.of(), false, List.of(), keys.isEmpty() ? List.of() : List.of(keys.getFirst()), methods);
    }

    private static String firstNonNull(JsonNode types) {
        for (JsonNode t : types) {
            if (!t.asText().equals("null")) {
                return t.asText();
            }
        }
        return "string";
    }

    @Override
    public RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException {
        HttpApiSettings settings = ConfigSchema.read(config, HttpApiSettings.class);
        return new HttpApiWriter(HttpApiClient.of(settings.api(), reach).observed(listener::exchanged), settings, catalog, listener);
    }

}
