package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** A destination. Shared across threads like {@link SourceConnector}; each {@link #open} serves one sync. */
public interface DestinationConnector {
    ConnectorDefinition definition();

    Set<DestinationSyncMode> supportedSyncModes();

    /** Called when a user creates or tests a destination: tries a real connection. */
    CheckResult check(JsonNode config);

    /**
     * The settings of {@code config} that point where connectors may not go (Syncline's own databases and addresses,
     * files outside the roots an admin opened: {@link dev.syncline.connectors.reach.ConnectorReach}), each named. Called
     * when a user saves a config, before it is stored; may resolve host names (blocking). The connector checks again
     * whenever it connects: this is for the user's sake, not the only guard. Nothing by default.
     */
    default java.util.List<dev.syncline.connectors.reach.SettingRefused> refusals(JsonNode config) {
        return java.util.List.of();
    }

    /**
     * For a dry run: a lookup of which matching keys {@code stream}'s object already holds, or null when this destination
     * cannot tell (its preview then counts inserts and updates together). Reads only, never writes.
     */
    default KeyLookup keyLookup(JsonNode config, ConfiguredStream stream) throws ConnectorException {
        return null;
    }

    /** Called once per sync attempt by sync-service, on the thread that will then drive the writer. */
    RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException;
}
