package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the connector registry lists: id (the {@code sourceType}/{@code destinationType} users send),
 * display name, kind and the JSON Schema of its config, with secret fields marked {@code "secret": true}
 * (a built-in connector's is made from its config record: {@link ConfigSchema}).
 */
public record ConnectorDefinition(String id, String name, ConnectorKind kind, ObjectNode spec) {
}
