package dev.syncline.kit.outbox;

import dev.syncline.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka in id order and deletes what the broker acknowledged. One relay at a time per
 * database (a PostgreSQL advisory lock), so several instances of a service never reorder a key's events.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long LOCK_ID = 0x5359_4E43_4F42_4F58L; // "SYNCOBOX"

    @Inject
    @Channel("outbox")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    MutinyEmitter<Object> emitter;

    @Inject
    MeterRegistry meters;

    @Inject
    OutboxConfig config;

    private volatile boolean lastFound = true;
    private long nextIdleLook;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    Pool db;

    private volatile boolean failing;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    // Quarkus' scheduler runs at most once a second; events should leave within a few hundredths of one (interval)
    void start(@Observes StartupEvent ev) {
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        if (!Outbox.busy() && !lastFound && now - nextIdleLook < 0) {
            return; // nothing written here lately and nothing found last time: look again at the idle interval
        }
        if (!running.compareAndSet(false, true)) {
            return; // the previous round is still publishing
        }
        nextIdleLook = now + config.idleInterval().toNanos();
        // on the timer's event loop: the relay only uses the reactive pool and the emitter, both non-blocking
        relay().subscribe().with(ok -> running.set(false), err -> running.set(false));
    }

    Uni<Void> relay() {
        return relayBatch().onItem().transformToUni(full -> full ? relay() : Uni.createFrom().voidItem())
                .onFailure().invoke(t -> {
                    if (!failing) {
                        LOG.warnf("outbox relay paused: %s (retrying)", t.getMessage());
                    }
                    failing = true;
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Publishes one batch; true when the batch was full (more may be waiting). Straight on the reactive pool: the
     * relay runs up to 40 times a second in every service and, during a sync that rejects thousands of records a second,
     * moves megabytes; Hibernate re-interpreted its delete and copied every payload into an entity each time.
     */
    Uni<Boolean> relayBatch() {
        return db.withTransaction(c -> c.query("select pg_try_advisory_xact_lock(" + LOCK_ID + ")").execute()
                .chain(locked -> !locked.iterator().next().getBoolean(0) ? Uni.createFrom().item(false)
                        : c.preparedQuery("select id, octet_length(payload) from outbox_event order by id limit $1")
                                .execute(Tuple.of(config.batchSize()))
                                .chain(sizes -> {
                                    Budget budget = withinBudget(sizes);
                                    if (budget.lastId() < 0) {
                                        return sendAndDelete(c, List.of(), false);
                                    }
                                    long last = budget.lastId();
                                    boolean more = sizes.size() == config.batchSize() || budget.events() < sizes.size();
                                    return c.preparedQuery("select id, topic, message_key, event_type, event_id, payload from "
                                                    + "outbox_event where id <= $1 order by id")
                                            .execute(Tuple.of(last))
                                            .chain(rows -> sendAndDelete(c, events(rows), more));
                                })));
    }

    /** The first {@code events} rows, up to {@code lastId} (-1: none), whose payloads fit in maxBatchBytes. */
    private record Budget(long lastId, int events) { }

    /** The rows whose payloads fit in maxBatchBytes (the first event always does). */
    private Budget withinBudget(RowSet<Row> sizes) {
        long last = -1;
        long bytes = 0;
        int n = 0;
        for (Row r : sizes) {
            if (n > 0 && bytes + r.getLong(1) > config.maxBatchBytes()) {
                break;
            }
            bytes += r.getLong(1);
            last = r.getLong(0);
            n++;
        }
        return new Budget(last, n);
    }

    private static List<OutboxEvent> events(RowSet<Row> rows) {
        List<OutboxEvent> batch = new ArrayList<>(rows.size());
        for (Row r : rows) {
            OutboxEvent e = new OutboxEvent();
            e.id = r.getLong(0);
            e.topic = r.getString(1);
            e.messageKey = r.getString(2);
            e.eventType = r.getString(3);
            e.eventId = r.getString(4);
            e.payload = r.getBuffer(5).getBytes();
            batch.add(e);
        }
        return batch;
    }

    private Uni<Boolean> sendAndDelete(SqlConnection c, List<OutboxEvent> batch, boolean more) {
        lastFound = !batch.isEmpty();
        if (batch.isEmpty()) {
            if (failing) {
                failing = false;
            }
            return Uni.createFrom().item(false);
        }
        List<Uni<Void>> sends = new ArrayList<>(batch.size());
        Long[] ids = new Long[batch.size()];
        int i = 0;
        for (OutboxEvent e : batch) {
            ids[i++] = e.id;
            Object event;
            try {
                // as stored: the serializer writes these bytes after its header (OutboxDatumProvider), never needs our
                // classes (see EventCodec) and nothing is decoded to be encoded again
                Class<? extends org.apache.avro.specific.SpecificRecord> type = EventCodec.eventClass(e.eventType);
                event = new EncodedEvent(org.apache.avro.specific.SpecificData.getForClass(type).getSchema(type), e.payload);
            } catch (RuntimeException ex) {
                sends.add(park(c, e, ex));
                continue;
            }
            var meta = OutgoingKafkaRecordMetadata.<String>builder().withTopic(e.topic).withKey(e.messageKey).build();
            sends.add(emitter.sendMessage(Message.of(event).addMetadata(meta))
                    .onFailure(OutboxRelay::refusedForGood).recoverWithUni(ex -> park(c, e, ex)));
        }
        // subscribed in list order: the producer keeps that order per partition (idempotent, acks=all)
        return Uni.join().all(sends).andFailFast()
                .ifNoItem().after(config.sendTimeout()).fail()
                .chain(() -> c.preparedQuery("delete from outbox_event where id = any($1)").execute(Tuple.of((Object) ids)))
                .invoke(deleted -> {
                    meters.counter("syncline.outbox.published").increment(deleted.rowCount());
                    if (failing) {
                        LOG.info("outbox relay resumed");
                        failing = false;
                    }
                })
                .map(deleted -> more);
    }

    /** Retrying cannot help these: the event itself is the problem, not the broker or the registry. */
    static boolean refusedForGood(Throwable t) {
        if (dev.syncline.kit.faults.TransientFailures.is(t)) {
            return false; // the registry (or the broker) away: the serializer fails, and succeeds once it is back
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.SerializationException
                    || c instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || c instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> park(SqlConnection c, OutboxEvent e, Throwable error) {
        LOG.errorf("outbox event %s (%s) parked in outbox_parked: %s", e.eventId, e.eventType, error);
        meters.counter("syncline.outbox.parked").increment();
        return c.preparedQuery("insert into outbox_parked (id, topic, message_key, event_type, event_id, payload, created_at, "
                        + "error) select id, topic, message_key, event_type, event_id, payload, created_at, $1 "
                        + "from outbox_event where id = $2 on conflict do nothing")
                .execute(Tuple.of(String.valueOf(error), e.id)).replaceWithVoid();
    }
}
