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

    /**
     * The settings of {@code config} that point where connectors may not go (Syncline's own databases and addresses,
     * files outside the roots an admin opened: {@link dev.syncline.connectors.reach.ConnectorReach}), each named. Called
     * when a user saves a config, before it is stored; may resolve host names (blocking). The connector checks again
     * whenever it connects: this is for the user's sake, not the only guard. Nothing by default.
     */
    default java.util.List<dev.syncline.connectors.reach.SettingRefused> refusals(JsonNode config) {
        return java.util.List.of();
    }

    /** Called by schema-service on request and periodically. */
    Catalog discover(JsonNode config) throws ConnectorException;

    /**
     * Called once per sync attempt by sync-service. {@code state} maps {@link Stream#qualifiedName()} to the
     * last acknowledged state of that stream (absent: read from the beginning).
     */
    MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException;

    /**
     * Whether a full refresh of this source emits states part way that {@link #read} can read on from (a retry then
     * resumes instead of starting over). False by default: such a source's full refresh reads everything whatever
     * state it is given, and its states are kept only once the job completed.
     */
    default boolean resumesFullRefresh() {
        return false;
    }

    /**
     * Whether a read of full refresh {@code stream} may go on from {@code state}, stored by a failed attempt of the
     * same job: false when what was read up to there may no longer be what a read from the start would give up to
     * there (rows changed or moved since). Called before the destination keeps what it wrote. False by default.
     */
    default boolean canResume(JsonNode config, ConfiguredStream stream, JsonNode state) throws ConnectorException {
        return false;
    }
}
