package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** What a source emits while it reads, in order: records, state checkpoints and log lines. */
public sealed interface SourceMessage {

    /** One row. {@code data} holds JSON-like Java values: String, Long, Double, BigDecimal, Boolean, Map, List or null. */
    record RecordMessage(String namespace, String stream, Map<String, Object> data, Instant emittedAt)
            implements SourceMessage { }

    /**
     * The state of one stream after every record emitted before it; the platform stores it only once the
     * destination has acknowledged it (so a restart resumes from there).
     */
    record StateMessage(String namespace, String stream, JsonNode state) implements SourceMessage { }

    record LogMessage(String level, String message) implements SourceMessage { }
}
