package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.spi.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.StringJoiner;

/**
 * A data activation attempt's record operations, for the connection's sync log (issue 22, item 1): each record sent to
 * the destination or rejected, in order. An operation counts once the destination acknowledged it (a checkpoint, or
 * the end): only then does it go to the rejection sink, as JSON lines stored with the state it was acknowledged with,
 * so an attempt that fails after it neither loses it nor logs the records it will send again. Serialising waits for
 * the acknowledgement too: the send path only keeps a reference to the mapped record.
 */
final class SyncLogTrail {
    /** The most operations one stored batch holds. */
    static final int ENTRIES_PER_BATCH = 2000;

    /** One record operation of this attempt; {@code reasons} null while it is not refused. */
    private static final class Entry {
        final long seq;
        final Activation.StreamPlan plan;
        final MappedRecord payload;
        final Instant at;
        List<Rejection.Reason> reasons;

        Entry(long seq, Activation.StreamPlan plan, MappedRecord payload, Instant at, List<Rejection.Reason> reasons) {
            this.seq = seq;
            this.plan = plan;
            this.payload = payload;
            this.at = at;
            this.reasons = reasons;
        }
    }

    /** A batch of JSON lines, one operation each, ready to be stored. */
    record Batch(int entries, byte[] body) { }

    private final ObjectMapper json;
    private long seq;
    /** Sent or rejected since the last acknowledgement, in order. */
    private final List<Entry> pending = new ArrayList<>();
    /** The pending ones the destination was sent, by the mapped record it refuses them by. */
    private final IdentityHashMap<MappedRecord, Entry> sent = new IdentityHashMap<>();
    /** Acknowledged, not yet handed to the sink. */
    private final List<Entry> acknowledged = new ArrayList<>();

    SyncLogTrail(ObjectMapper json) {
        this.json = json;
    }

    /** A record handed to the destination. */
    void sending(Activation.StreamPlan plan, MappedRecord record) {
        Entry e = new Entry(++seq, plan, record, Instant.now(), null);
        pending.add(e);
        sent.put(record, e);
    }

    /** A record rejected: by the mapping before it was sent, or by the destination after. */
    void rejected(Activation.StreamPlan plan, MappedRecord record, List<Rejection.Reason> reasons) {
        Entry e = sent.get(record);
        if (e != null) {
            e.reasons = reasons;
        } else {
            pending.add(new Entry(++seq, plan, record, Instant.now(), reasons));
        }
    }

    /** The destination made every record before now durable (or refused it). */
    void acknowledged() {
        acknowledged.addAll(pending);
        pending.clear();
        sent.clear();
    }

    /** The operations acknowledged since the last call, as batches of JSON lines. */
    List<Batch> drain() {
        if (acknowledged.isEmpty()) {
            return List.of();
        }
        List<Batch> out = new ArrayList<>();
        try {
            for (int from = 0; from < acknowledged.size(); from += ENTRIES_PER_BATCH) {
                int to = Math.min(acknowledged.size(), from + ENTRIES_PER_BATCH);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * (to - from));
                try (JsonGenerator g = json.getFactory().createGenerator(bytes)) {
                    g.setRootValueSeparator(null); // a line per operation, nothing before it
                    for (Entry e : acknowledged.subList(from, to)) {
                        write(g, e);
                    }
                }
                out.add(new Batch(to - from, bytes.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            acknowledged.clear();
        }
        return out;
    }

    private void write(JsonGenerator g, Entry e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq);
        g.writeStringField("stream", e.plan.stream());
        g.writeStringField("object", e.plan.object());
        String key = e.plan.key(e.payload);
        if (key != null) {
            g.writeStringField("key", key);
        }
        g.writeStringField("operation", e.plan.method().wireName());
        g.writeStringField("status", e.reasons == null ? "succeeded" : "rejected");
        if (e.reasons != null && !e.reasons.isEmpty()) {
            Rejection.Reason first = e.reasons.get(0);
            g.writeStringField("code", first.code().name());
            if (first.field() != null) {
                g.writeStringField("field", first.field());
            }
            StringJoiner message = new StringJoiner("; ");
            for (Rejection.Reason r : e.reasons) {
                message.add(r.field() == null ? r.message() : r.field() + ": " + r.message());
            }
            g.writeStringField("message", message.toString());
        }
        g.writeFieldName("payload");
        json.writeValue(g, e.payload);
        g.writeStringField("at", e.at.toString());
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
