package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the connector registry lists: id (the {@code sourceType}/{@code destinationType} users send),
 * display name, kind and the JSON Schema of its config, with secret fields marked {@code "secret": true}.
 */
public record ConnectorDefinition(String id, String name, ConnectorKind kind, ObjectNode spec) {

    /** A connector's spec: the JSON Schema in {@code resource}, next to {@code connector}'s class. */
    public static ObjectNode readSpec(Class<?> connector, String resource) {
        try (InputStream in = connector.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(connector.getSimpleName() + " has no " + resource);
            }
            return (ObjectNode) new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(connector.getSimpleName() + "'s " + resource + " cannot be read", e);
        }
    }
}
