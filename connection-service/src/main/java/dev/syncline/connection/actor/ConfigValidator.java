package dev.syncline.connection.actor;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.kit.problem.Problem;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks a config against its connector's JSON Schema (networknt), reporting every violation with its path. */
final class ConfigValidator {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private ConfigValidator() { }

    /** Violations as field errors under {@code configuration}, e.g. {@code configuration.port}. */
    static List<Problem.FieldError> violations(ConnectorDefinition definition, JsonNode config) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(definition.id() + "/" + definition.kind(),
                k -> FACTORY.getSchema(definition.spec()));
        return schema.validate(config).stream()
                .map(m -> toFieldError(definition, m))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
    }

    private static Problem.FieldError toFieldError(ConnectorDefinition definition, ValidationMessage m) {
        // instance location "$.port" -> configuration.port; a missing property is reported on its parent
        String location = m.getInstanceLocation().toString().replaceFirst("^\\$", "");
        String field = "configuration" + location;
        if ("pattern".equals(m.getType())) {
            // a spec may say in words what its pattern wants (x-pattern-message), instead of showing the regex
            JsonNode words = definition.spec().at("/properties" + location.replace(".", "/properties/").replaceFirst("^/properties/", "/")
                    + "/x-pattern-message");
            if (words.isTextual()) {
                return new Problem.FieldError(field, words.asText());
            }
        }
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            field = field + "." + m.getProperty();
            return new Problem.FieldError(field, "is required");
        }
        if ("additionalProperties".equals(m.getType()) && m.getProperty() != null) {
            return new Problem.FieldError(field + "." + m.getProperty(), "is not a known setting of this connector");
        }
        String msg = m.getMessage();
        // networknt prefixes messages with the location: keep only what is wrong
        int colon = msg.indexOf(": ");
        return new Problem.FieldError(field, colon > 0 && msg.startsWith("$") ? msg.substring(colon + 2) : msg);
    }
}
