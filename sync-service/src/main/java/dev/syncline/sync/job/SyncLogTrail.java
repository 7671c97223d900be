package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.spi.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * A data activation attempt's record operations, for the connection's sync log (issue 22, item 1): each record sent to
 * the destination or rejected, in order ({@code seq}). An operation is logged once its fate is decided: a record
 * refused by the mapping at once, a record handed to the destination once the destination flushed it (written, or
 * refused and reported, {@link dev.syncline.connectors.spi.WriteListener#flushed}) or acknowledged a checkpoint. Decided
 * operations are turned into JSON lines at once (the mapped record is let go) and handed to the rejection sink in
 * batches, stored with its next flush: memory holds only what the destination has not flushed yet. What an attempt
 * handed over and never saw flushed (it failed or was cancelled first) is not logged by it: the next attempt sends
 * those records again, and logs them.
 */
final class SyncLogTrail {
    /** The most operations one stored batch holds. */
    static final int ENTRIES_PER_BATCH = 2000;

    /** One record operation; {@code reasons} null while it is not refused. */
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
    private final Consumer<Batch> ready;
    private long seq;
    /** Handed to the destination, fate not known yet, in order. */
    private final List<Entry> undecided = new ArrayList<>();
    /** The undecided ones, by the mapped record the destination refuses them by. */
    private final IdentityHashMap<MappedRecord, Entry> sent = new IdentityHashMap<>();
    /** The batch being filled. */
    private ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 16);
    private int inBatch;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

    /** {@code json}: from {@link #mapper}; {@code ready}: where each full batch goes (the rejection sink). */
    SyncLogTrail(ObjectMapper json, Consumer<Batch> ready) {
        this.json = json;
        this.ready = ready;
    }

    /**
     * The service's mapper with every string's NUL characters replaced (U+FFFD): PostgreSQL's jsonb refuses
     * {@code \u0000}, and one such record would keep its whole batch out of the log. Made once per service.
     */
    static ObjectMapper mapper(ObjectMapper service) {
        SimpleModule noNul = new SimpleModule("sync-log-strings");
        noNul.addSerializer(String.class, new StdSerializer<>(String.class) {
            @Override
            public void serialize(String value, JsonGenerator g, SerializerProvider provider) throws IOException {
                g.writeString(value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD'));
            }
        });
        return service.copy().registerModule(noNul);
    }

    /** A record handed to the destination. */
    void sending(Activation.StreamPlan plan, MappedRecord record) {
        Entry e = new Entry(++seq, plan, record, Instant.now(), null);
        undecided.add(e);
        sent.put(record, e);
    }

    /** A record rejected: by the mapping before it was sent (decided now), or by the destination after. */
    void rejected(Activation.StreamPlan plan, MappedRecord record, List<Rejection.Reason> reasons) {
        Entry e = sent.get(record);
        if (e != null) {
            e.reasons = reasons;
        } else {
            decided(new Entry(++seq, plan, record, Instant.now(), reasons));
        }
    }

    /** The destination flushed (or acknowledged) every record handed to it so far: their fates are known. */
    void flushed() {
        for (Entry e : undecided) {
            decided(e);
        }
        undecided.clear();
        sent.clear();
    }

    /** The operations decided and not yet handed over, as a batch (none when there are none): the attempt's end. */
    List<Batch> drain() {
        if (inBatch == 0) {
            return List.of();
        }
        Batch b = new Batch(inBatch, batch.toByteArray());
        batch = new ByteArrayOutputStream(1 << 16);
        inBatch = 0;
        return List.of(b);
    }

    private void decided(Entry e) {
        line.reset();
        try (JsonGenerator g = json.getFactory().createGenerator(line)) {
            write(g, e, true);
        } catch (IOException | RuntimeException serialisation) {
            // a value the mapper cannot write: the operation is logged all the same, without its payload
            line.reset();
            try (JsonGenerator g = json.getFactory().createGenerator(line)) {
                write(g, e, false);
            } catch (IOException | RuntimeException again) {
                return; // cannot happen: every other field is a plain string or number
            }
        }
        try {
            line.writeTo(batch);
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible); // a byte array takes anything
        }
        batch.write('\n');
        if (++inBatch >= ENTRIES_PER_BATCH) {
            ready.accept(drain().getFirst());
        }
    }

    private void write(JsonGenerator g, Entry e, boolean withPayload) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq);
        g.writeStringField("stream", e.plan.stream());
        g.writeStringField("object", e.plan.object());
        String key = e.plan.key(e.payload);
        if (key != null) {
            g.writeStringField("key", key); // JSON text: a NUL in it is already escaped (backslash, u0000), plain text to jsonb
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
            g.writeStringField("message", message.toString().replace('\0', '\uFFFD'));
        }
        if (withPayload) {
            g.writeFieldName("payload");
            json.writeValue(g, e.payload);
        } else {
            g.writeNullField("payload");
        }
        g.writeStringField("at", e.at.toString());
        g.writeEndObject();
    }
}
