package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the config properties a spec marks secret ({@code "secret": true}, or Airbyte's
 * {@code "airbyte_secret": true}), as JSON pointers into a config, e.g. {@code /password}.
 */
public final class SecretFields {
    private SecretFields() { }

    public static List<String> pointers(JsonNode spec) {
        List<String> out = new ArrayList<>();
        collect(spec, "", out);
        return out;
    }

    private static void collect(JsonNode schema, String prefix, List<String> out) {
        JsonNode props = schema == null ? null : schema.get("properties");
        if (props == null || !props.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            String pointer = prefix + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
            JsonNode p = e.getValue();
            if (p.path("secret").asBoolean(false) || p.path("airbyte_secret").asBoolean(false)) {
                out.add(pointer);
            } else {
                collect(p, pointer, out);
            }
        }
    }
}
