package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A source. One instance serves many calls; each call may come on a different worker thread (never an
 * event-loop thread), so implementations keep no per-call state in fields.
 */
public interface SourceConnector {
    ConnectorDefinition definition();

    /** Called when a user creates or tests a source: tries a real connection. */
    CheckResult check(JsonNode config);

    /** Called by schema-service on request and periodically. */
    Catalog discover(JsonNode config) throws ConnectorException;

    /**
     * Called once per sync attempt by sync-service. {@code state} maps {@link Stream#qualifiedName()} to the
     * last acknowledged state of that stream (absent: read from the beginning).
     */
    MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException;
}
