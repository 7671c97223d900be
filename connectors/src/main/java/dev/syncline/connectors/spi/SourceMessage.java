package dev.syncline.connectors.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a source emits while it reads, in order: records, state checkpoints, log lines and records it could not deliver. */
public sealed interface SourceMessage {

    /**
     * One row. {@code data} holds JSON-like Java values: String, Long, Double, BigDecimal, Boolean, Map, List or null.
     * {@code emittedAt} is when the source read it (it becomes {@code _syncline_extracted_at}); {@code changes} are what
     * the source already did to its content (a field nulled or truncated), noted in the row's {@code _syncline_meta}.
     */
    record RecordMessage(String namespace, String stream, Map<String, Object> data, Instant emittedAt, List<Change> changes)
            implements SourceMessage {
        public RecordMessage {
            changes = changes == null || changes.isEmpty() ? List.of() : List.copyOf(changes);
        }

        public RecordMessage(String namespace, String stream, Map<String, Object> data, Instant emittedAt) {
            this(namespace, stream, data, emittedAt, List.of());
        }
    }

    /**
     * A change made to a record's content before it reached the destination, as the Airbyte protocol's
     * {@code meta.changes} item: {@code change} NULLED or TRUNCATED, {@code reason} e.g. SOURCE_SERIALIZATION_ERROR.
     */
    record Change(String field, String change, String reason) { }

    /**
     * The state of one stream after every record emitted before it; the platform stores it only once the
     * destination has acknowledged it (so a restart resumes from there). With a null {@code stream} it is the
     * state of the whole source (the Airbyte protocol's GLOBAL or LEGACY state, e.g. a CDC position shared by every
     * stream): it comes back to the source under {@link #WHOLE_SOURCE} in the state map given to {@code read}.
     */
    record StateMessage(String namespace, String stream, JsonNode state) implements SourceMessage {
        /** The key of the whole source's state in the state map ({@code ""}: no stream has an empty name). */
        public static final String WHOLE_SOURCE = "";

        public static StateMessage ofWholeSource(JsonNode state) {
            return new StateMessage(null, null, state);
        }

        public boolean wholeSource() {
            return stream == null;
        }

        /** Where this state is kept: the stream's qualified name, or {@link #WHOLE_SOURCE}. */
        public String key() {
            return stream == null ? WHOLE_SOURCE : namespace == null ? stream : namespace + "." + stream;
        }
    }

    record LogMessage(String level, String message) implements SourceMessage { }

    /**
     * A record the source could not deliver intact (e.g. a line of its output that is not JSON), where the user chose
     * to keep such records as rejected records rather than fail the sync: never written, never dropped silently.
     * {@code data} is what is left of it (e.g. the line and its number).
     */
    record RejectedRecord(String namespace, String stream, Map<String, Object> data, List<Rejection.Reason> reasons)
            implements SourceMessage {
        public RejectedRecord {
            reasons = List.copyOf(reasons);
        }
    }
}
