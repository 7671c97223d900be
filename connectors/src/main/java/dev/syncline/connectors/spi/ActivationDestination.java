package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A destination with a strict schema (a CRM object, an application's table): the user maps source fields onto its
 * objects' fields. Called by schema-service on a worker thread, like a source's discover.
 */
public interface ActivationDestination extends DestinationConnector {
    /** The objects records can go to: each a {@link Stream} whose fields say which are required, with its insertion methods. */
    Catalog discoverObjects(JsonNode config) throws ConnectorException;
}
