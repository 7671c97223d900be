package dev.syncline.kit.outbox;

import dev.syncline.events.EventCodec;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where a service puts the events of a change: call {@link #publish} inside the transaction that makes the
 * change; the relay sends them to Kafka after the commit (none for a rolled-back change, none lost while
 * Kafka is away).
 */
@ApplicationScoped
public class Outbox {
    /** Until when (System.nanoTime) the relay polls at its fast pace: an event was just added in this process. */
    private static volatile long busyUntil;

    /** Marks the outbox as just written: the relay looks every tick for the next seconds instead of now and then. */
    static void touch() {
        busyUntil = System.nanoTime() + 3_000_000_000L;
    }

    static boolean busy() {
        return System.nanoTime() - busyUntil < 0;
    }

    /** Adds {@code event} (a generated event class with an {@code eventId}) for {@code topic}, keyed by {@code key}. */
    public Uni<Void> publish(String topic, String key, SpecificRecord event) {
        touch();
        return row(topic, key, event).persist().replaceWithVoid();
    }

    /**
     * Adds many rows on {@code connection}, in its transaction, as one statement (arrays unnested into rows, in list
     * order so their ids keep it): persisting them one by one costs a round trip each, which a sync rejecting
     * thousands of records a second cannot afford.
     */
    public static Uni<Void> insertAll(io.vertx.mutiny.sqlclient.SqlConnection connection, java.util.List<OutboxEvent> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        touch();
        int n = rows.size();
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] ids = new String[n];
        io.vertx.core.buffer.Buffer[] payloads = new io.vertx.core.buffer.Buffer[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            OutboxEvent e = rows.get(i);
            topics[i] = e.topic;
            keys[i] = e.messageKey;
            types[i] = e.eventType;
            ids[i] = e.eventId;
            payloads[i] = io.vertx.core.buffer.Buffer.buffer(e.payload);
            created[i] = e.createdAt;
        }
        return connection.preparedQuery("insert into outbox_event (topic, message_key, event_type, event_id, payload, created_at) "
                        + "select t, k, y, i, p, c from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[], "
                        + "$6::timestamptz[]) with ordinality as x(t, k, y, i, p, c, o) order by o")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(topics, keys, types, ids, payloads, created)).replaceWithVoid();
    }

    /** The row {@link #publish} would persist, for callers that batch their own writes. */
    public static OutboxEvent row(String topic, String key, SpecificRecord event) {
        OutboxEvent row = new OutboxEvent();
        row.topic = topic;
        row.messageKey = key;
        row.eventType = event.getClass().getName();
        row.eventId = EventCodec.eventId(event);
        row.payload = EventCodec.encode(event);
        row.createdAt = OffsetDateTime.now();
        return row;
    }
}
