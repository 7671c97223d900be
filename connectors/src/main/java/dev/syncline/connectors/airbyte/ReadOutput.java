package dev.syncline.connectors.airbyte;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a command prints on stdout while it reads, one at a time, as Syncline's messages (the Airbyte protocol's
 * AirbyteMessage): RECORD with its {@code emitted_at} and {@code meta.changes}, STATE of a stream or of the whole
 * source (GLOBAL, LEGACY: kept as they came, so they go back to the command as they came), LOG, and a TRACE error.
 * A line that starts like a message ({@code {}) but is not valid JSON, or a RECORD or STATE without what the protocol
 * requires, fails the read naming the line, or where the user chose so ({@code malformed_records: reject}) becomes a
 * rejected record; plain text and JSON without a type are the command's log.
 */
final class ReadOutput {
    /** How much of a malformed line a failure message quotes. */
    static final int QUOTED = 200;
    /** How much of a malformed line a rejected record keeps. */
    static final int KEPT = 64 * 1024;
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Set<String> streams = new HashSet<>();
    /** A configured stream's name → its namespace; a name in several namespaces is not there (it would be a guess). */
    private final Map<String, String> namespaces = new HashMap<>();
    private final boolean rejectMalformed;
    private long line;
    /** The message of the command's TRACE error, once it sent one. */
    String traceError;

    ReadOutput(ConfiguredCatalog catalog, boolean rejectMalformed) {
        this.rejectMalformed = rejectMalformed;
        Set<String> ambiguous = new HashSet<>();
        catalog.streams().forEach(s -> {
            streams.add(s.stream().qualifiedName());
            if (namespaces.containsKey(s.stream().name())) {
                ambiguous.add(s.stream().name());
            }
            namespaces.put(s.stream().name(), s.stream().namespace());
        });
        namespaces.keySet().removeAll(ambiguous);
    }

    /** The next line as a message; null when it carries none (blank, a trace, a message Syncline does not use). */
    SourceMessage next(String text) throws ConnectorException {
        line++;
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        if (trimmed.charAt(0) != '{') {
            return new SourceMessage.LogMessage("INFO", text); // a command printing something else: its log
        }
        JsonNode m;
        try {
            m = AirbyteProtocol.JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            return malformed(text, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return switch (m.path("type").asText()) {
            case "RECORD" -> record(text, m.path("record"));
            case "STATE" -> state(text, m.path("state"));
            case "LOG" -> new SourceMessage.LogMessage(m.path("log").path("level").asText("INFO"),
                    m.path("log").path("message").asText());
            case "TRACE" -> {
                if (m.path("trace").path("type").asText().equals("ERROR") && traceError == null) {
                    traceError = m.path("trace").path("error").path("message").asText();
                }
                yield null;
            }
            // JSON without a type is not a protocol message: a library logging in JSON, say (as plain text is)
            case "" -> new SourceMessage.LogMessage("INFO", text);
            default -> null; // SPEC, CATALOG, CONTROL, ESTIMATE...: nothing a read needs
        };
    }

    private SourceMessage record(String text, JsonNode r) throws ConnectorException {
        if (!r.path("stream").isTextual() || !r.path("data").isObject()) {
            return malformed(text, "is a RECORD without a stream name or without a data object");
        }
        String namespace = r.hasNonNull("namespace") ? r.get("namespace").asText() : null;
        String stream = r.get("stream").asText();
        if (!streams.contains(namespace == null ? stream : namespace + "." + stream)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "line " + line + ": the command sent a record of "
                    + "stream " + (namespace == null ? stream : namespace + "." + stream) + ", which this connection does not "
                    + "sync (the command does not follow the catalog it was given)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = AirbyteProtocol.JSON.convertValue(r.get("data"), Map.class);
        JsonNode at = r.path("emitted_at");
        Instant emittedAt = at.isNumber() ? Instant.ofEpochMilli(at.asLong()) : Instant.now();
        List<SourceMessage.Change> changes = new ArrayList<>();
        for (JsonNode c : r.path("meta").path("changes")) {
            changes.add(new SourceMessage.Change(c.path("field").asText(), c.path("change").asText(), c.path("reason").asText()));
        }
        return new SourceMessage.RecordMessage(namespace, stream, data, emittedAt, changes);
    }

    private SourceMessage state(String text, JsonNode st) throws ConnectorException {
        if (!st.isObject()) {
            return malformed(text, "is a STATE without a state object");
        }
        if (st.path("type").asText().equals("STREAM")) {
            JsonNode d = st.path("stream").path("stream_descriptor");
            if (!d.path("name").isTextual()) {
                return malformed(text, "is a STREAM state without a stream descriptor");
            }
            return new SourceMessage.StateMessage(d.hasNonNull("namespace") ? d.get("namespace").asText() : null,
                    d.get("name").asText(), st.path("stream").path("stream_state"));
        }
        // GLOBAL (one shared state and the streams' states) or LEGACY (one blob): the whole source's, as it came
        return SourceMessage.StateMessage.ofWholeSource(st);
    }

    /**
     * A line that is not protocol output: the read fails naming it (a retry reads the same output again: a
     * configuration matter), or where the user chose so it becomes a rejected record of the stream it names.
     */
    private SourceMessage malformed(String text, String why) throws ConnectorException {
        String stream = streamNamedIn(text);
        if (!rejectMalformed || stream == null) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "line " + line + " of the command's output " + why
                    + (rejectMalformed ? " and names no stream of this connection" : "") + ": " + cut(text, QUOTED));
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        kept.put("line", line);
        kept.put("text", cut(text, KEPT));
        String namespace = namespaces.get(stream);
        return new SourceMessage.RejectedRecord(namespace, stream, kept, List.of(new Rejection.Reason(null,
                Rejection.Code.INVALID_FORMAT, "line " + line + " of the source's output " + why)));
    }

    /** The configured stream a broken line names ({@code "stream": "..."}), if it names exactly one. */
    private String streamNamedIn(String text) {
        Matcher m = STREAM.matcher(text);
        String found = null;
        while (m.find()) {
            String name = m.group(1);
            if (namespaces.containsKey(name)) {
                if (found != null && !found.equals(name)) {
                    return null;
                }
                found = name;
            }
        }
        return found;
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " characters)";
    }
}
