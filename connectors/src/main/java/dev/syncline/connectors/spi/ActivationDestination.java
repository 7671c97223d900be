package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A destination with a strict schema (a CRM object, an application's table): the user maps source fields onto its
 * objects' fields. Called by schema-service on a worker thread, like a source's discover.
 */
public interface ActivationDestination extends DestinationConnector {
    /** Records go to an object one by one with its insertion method: there is nothing to overwrite or dedupe. */
    @Override
    default java.util.Set<DestinationSyncMode> supportedSyncModes() {
        return java.util.Set.of(DestinationSyncMode.APPEND);
    }

    /** The objects records can go to: each a {@link Stream} whose fields say which are required, with its insertion methods. */
    Catalog discoverObjects(JsonNode config) throws ConnectorException;
}
