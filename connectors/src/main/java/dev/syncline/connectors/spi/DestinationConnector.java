package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** A destination. Shared across threads like {@link SourceConnector}; each {@link #open} serves one sync. */
public interface DestinationConnector {
    ConnectorDefinition definition();

    Set<DestinationSyncMode> supportedSyncModes();

    /** Called when a user creates or tests a destination: tries a real connection. */
    CheckResult check(JsonNode config);

    /** Called once per sync attempt by sync-service, on the thread that will then drive the writer. */
    RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException;
}
