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

    /** Adds {@code event} (a generated event class with an {@code eventId}) for {@code topic}, keyed by {@code key}. */
    public Uni<Void> publish(String topic, String key, SpecificRecord event) {
        return row(topic, key, event).persist().replaceWithVoid();
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
