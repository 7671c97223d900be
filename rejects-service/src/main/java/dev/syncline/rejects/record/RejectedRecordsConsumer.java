package dev.syncline.rejects.record;

import dev.syncline.events.EventCodec;
import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RecordsRejected;
import dev.syncline.events.RejectedRecordsUpdated;
import dev.syncline.kit.inbox.Inbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.syncline.kit.faults.TransientFailures;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Stores every RecordRejected once, however often Kafka delivers it; a newer rejection of the same record (same key)
 * supersedes the older one. RejectedRecordsUpdated moves records to retrying or resolved.
 * <p>
 * Consumes in batches (a sync can reject thousands of records a second): consecutive rejections — RecordRejected
 * events and the items of RecordsRejected events — are stored by one statement in one transaction. A message that is
 * not an event goes to the dead-letter topic alone.
 * <p>
 * What makes a redelivery harmless is the message, not each record: the processed-event log holds the eventId of
 * every RecordsRejected (or lone RecordRejected) stored, one row per ~500 records, instead of a unique index on every
 * record's eventId, which cost a fifth of the database's work per rejection. When a batch's transaction fails, its
 * messages are stored one by one; a message that still fails is stored record by record, each record logged as
 * processed by its own eventId (which later batches are checked against), and its message goes to the dead-letter
 * topic once, so replaying it stores only the records that were not.
 */
@ApplicationScoped
public class RejectedRecordsConsumer {
    private static final Logger LOG = Logger.getLogger(RejectedRecordsConsumer.class);
    private static final String CONSUMER = "rejects-service.rejected";
    /** The processed-event log's consumer for a record stored alone, out of a message that could not be stored whole. */
    private static final String CONSUMER_RECORD = "rejects-service.rejected-record";
    // the messages of a batch not stored before (a message redelivered in the same batch counts once)
    private static final String FRESH = "insert into processed_event (consumer, event_id, processed_at) select $1, e, now() "
            + "from unnest($2::text[]) as x(e) on conflict do nothing returning event_id";
    // records already stored alone (the rare case above): a message replayed from the dead-letter topic skips them
    private static final String STORED_ALONE = "with alone as (select event_id from processed_event where consumer = '"
            + CONSUMER_RECORD + "' and event_id = any($1::text[])) ";
    // one statement for the whole batch: arrays of values, unnested into rows
    private static final String INSERT = "insert into rejected_record (event_id, connection_id, job_id, attempt, stream_namespace, "
            + "stream, destination_object, insertion_method, record, mapped_payload, reasons, status, rejected_at, record_key, "
            + "retry_key, reason_codes, reason_fields) select e, c, j, a, ns, s, o, m, r, mp, rs, 'open', t, k, rk, rc, rf from "
            + "unnest($1::text[], $2::uuid[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
            + "$10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::text[], $15::text[], $16::text[]) "
            + "as x(e, c, j, a, ns, s, o, m, r, mp, rs, t, k, rk, rc, rf)";
    private static final String INSERT_NOT_ALONE = STORED_ALONE + INSERT + " where x.e not in (select event_id from alone) "
            + "returning event_id";
    private static final String INSERT_ALONE = INSERT + " returning event_id";
    // the same record rejected again: the older rejection is superseded by this one
    private static final String SUPERSEDE = "update rejected_record r set status = 'superseded', status_changed_at = now(), "
            + "status_job_id = x.j from unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) "
            + "as x(j, c, s, ns, rk, e) where r.connection_id = x.c and r.stream = x.s and r.stream_namespace is not distinct "
            + "from x.ns and r.retry_key = x.rk and r.status in ('open', 'retrying') and r.event_id <> x.e";

    @Inject
    Inbox inbox;

    @Inject
    Pool db;

    /** One message of the batch: its event, or why it is not one. */
    private record Item(KafkaRecord<String, GenericRecord> message, SpecificRecord event, Throwable poison) { }

    /** A message's rejections, stored (or found stored) as one: a RecordsRejected's, or a lone RecordRejected. */
    private record Delivery(KafkaRecord<String, GenericRecord> message, String eventId, List<RecordRejected> rejections) { }

    @Incoming("rejected")
    @SuppressWarnings("unchecked")
    public Uni<Void> on(Message<List<GenericRecord>> batch) {
        List<KafkaRecord<String, GenericRecord>> messages = batch instanceof IncomingKafkaRecordBatch<?, ?> b
                ? new ArrayList<>((List<KafkaRecord<String, GenericRecord>>) (List<?>) b.getRecords()) : List.of();
        List<Item> items = new ArrayList<>(messages.size());
        for (KafkaRecord<String, GenericRecord> m : messages) {
            try {
                if (m.getPayload() == null) {
                    throw new IllegalArgumentException("not an event this service can read (undecodable payload)");
                }
                items.add(new Item(m, read(m.getPayload()), null));
            } catch (RuntimeException e) {
                items.add(new Item(m, null, e));
            }
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        List<Delivery> run = new ArrayList<>();
        for (Item item : items) {
            if (item.event() instanceof RecordRejected r) {
                run.add(new Delivery(item.message(), r.getEventId(), List.of(r)));
                continue;
            }
            if (item.event() instanceof RecordsRejected many) {
                run.add(new Delivery(item.message(), many.getEventId(), many.getRejections()));
                continue;
            }
            List<Delivery> stored = List.copyOf(run);
            run.clear();
            all = all.chain(() -> storeAll(stored)).chain(() -> single(item));
        }
        List<Delivery> last = List.copyOf(run);
        Uni<Void> stored = all.chain(() -> storeAll(last));
        // the database away (a restart): the batch waits and is stored again from its start (what was stored is
        // skipped by its eventId), instead of sending its messages to the dead-letter topic
        return TransientFailures.retry("storing rejected records", TransientFailures.CONSUMER_PATIENCE, () -> stored)
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * The event as its generated class. RecordsRejected — thousands of records a second — is copied field by field
     * from the generic record the deserializer made; EventCodec's general conversion (encode, then decode into the
     * class) cost as much as storing them.
     */
    static SpecificRecord read(GenericRecord g) {
        if (g.getSchema().getFullName().equals(RecordsRejected.getClassSchema().getFullName())
                && g.getSchema().getField("rejections") != null) {
            RecordsRejected many = new RecordsRejected();
            many.setEventId(text(g.get("eventId")));
            many.setOccurredAt(instant(g.get("occurredAt")));
            many.setConnectionId(text(g.get("connectionId")));
            many.setJobId((Long) g.get("jobId"));
            List<?> items = (List<?>) g.get("rejections");
            List<RecordRejected> rejections = new ArrayList<>(items.size());
            for (Object item : items) {
                rejections.add(rejection((GenericRecord) item));
            }
            many.setRejections(rejections);
            return many;
        }
        return EventCodec.toSpecific(g);
    }

    private static RecordRejected rejection(GenericRecord g) {
        RecordRejected r = new RecordRejected();
        r.setEventId(text(g.get("eventId")));
        r.setOccurredAt(instant(g.get("occurredAt")));
        r.setConnectionId(text(g.get("connectionId")));
        r.setJobId((Long) g.get("jobId"));
        Object attempt = g.get("attempt");
        r.setAttempt(attempt == null ? 1 : (Integer) attempt);
        r.setStreamNamespace(text(g.get("streamNamespace")));
        r.setStream(text(g.get("stream")));
        r.setDestinationObject(text(field(g, "destinationObject")));
        r.setRecordKey(text(field(g, "recordKey")));
        r.setInsertionMethod(text(field(g, "insertionMethod")));
        r.setRecord(text(g.get("record")));
        r.setMappedPayload(text(field(g, "mappedPayload")));
        r.setSupersedes((Boolean) field(g, "supersedes"));
        List<?> reasons = (List<?>) g.get("reasons");
        List<FieldReason> out = new ArrayList<>(reasons.size());
        for (Object o : reasons) {
            GenericRecord f = (GenericRecord) o;
            FieldReason reason = new FieldReason();
            reason.setField(text(f.get("field")));
            reason.setCode(text(f.get("code")));
            reason.setMessage(text(f.get("message")));
            out.add(reason);
        }
        r.setReasons(out);
        return r;
    }

    /** A field an older writer's schema may not have: null then (its default in every schema so far). */
    private static Object field(GenericRecord g, String name) {
        return g.getSchema().getField(name) == null ? null : g.get(name);
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }

    private static java.time.Instant instant(Object v) {
        return v instanceof java.time.Instant i ? i : java.time.Instant.ofEpochMilli((Long) v);
    }

    /** A message that is not a RecordRejected: an update applied once, a poison message to the dead-letter topic. */
    private Uni<Void> single(Item item) {
        if (item.poison() != null) {
            LOG.errorf("could not read a message of syncline.records.rejected (%s): it goes to the dead-letter topic",
                    item.poison().getMessage());
            return Uni.createFrom().completionStage(item.message().nack(item.poison()));
        }
        if (item.event() instanceof RejectedRecordsUpdated u) {
            return Panache.withTransaction(() -> inbox.once(CONSUMER, u, () -> update(u)))
                    .onFailure(t -> !TransientFailures.is(t)).recoverWithUni(t -> {
                        LOG.errorf(t, "could not apply RejectedRecordsUpdated %s: it goes to the dead-letter topic", u.getEventId());
                        return Uni.createFrom().completionStage(item.message().nack(t));
                    });
        }
        return Uni.createFrom().voidItem(); // another event type on the topic: not this service's
    }

    /**
     * Stores the messages' rejections in one transaction; if it fails, message by message, and a message that fails
     * record by record (the records that cannot be stored send their message to the DLQ).
     */
    private Uni<Void> storeAll(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.withTransaction(c -> fresh(c, deliveries).chain(events -> store(c, events, INSERT_NOT_ALONE)))
                .onFailure(t -> !TransientFailures.is(t)).recoverWithUni(t -> {
                    if (deliveries.size() > 1) {
                        LOG.warnf("storing %d messages of rejected records at once failed (%s): storing them one by one",
                                deliveries.size(), t.getMessage());
                        Uni<Void> one = Uni.createFrom().voidItem();
                        for (Delivery d : deliveries) {
                            one = one.chain(() -> storeAll(List.of(d)));
                        }
                        return one;
                    }
                    Delivery d = deliveries.getFirst();
                    if (d.rejections().size() > 1) {
                        LOG.warnf("storing the %d rejected records of %s failed (%s): storing them one by one",
                                d.rejections().size(), d.eventId(), t.getMessage());
                    }
                    Uni<Void> one = Uni.createFrom().voidItem();
                    for (RecordRejected r : d.rejections()) {
                        one = one.chain(() -> storeAlone(d.message(), r));
                    }
                    return one;
                });
    }

    /** The rejections of the messages not stored before, in order. */
    private Uni<List<RecordRejected>> fresh(SqlConnection c, List<Delivery> deliveries) {
        String[] ids = deliveries.stream().map(Delivery::eventId).toArray(String[]::new);
        return c.preparedQuery(FRESH).execute(Tuple.of(CONSUMER, ids)).map(rows -> {
            java.util.Set<String> fresh = new java.util.HashSet<>();
            for (Row row : rows) {
                fresh.add(row.getString(0));
            }
            List<RecordRejected> events = new ArrayList<>();
            for (Delivery d : deliveries) {
                if (fresh.remove(d.eventId())) { // a message twice in the batch: its first copy
                    events.addAll(d.rejections());
                } else {
                    LOG.debugf("%s already stored the rejections of %s", CONSUMER, d.eventId());
                }
            }
            return events;
        });
    }

    /** One record of a message that could not be stored whole, logged as processed by its own eventId. */
    private Uni<Void> storeAlone(KafkaRecord<String, GenericRecord> message, RecordRejected r) {
        return db.withTransaction(c -> c.preparedQuery("insert into processed_event (consumer, event_id, processed_at) "
                        + "values ($1, $2, now()) on conflict do nothing").execute(Tuple.of(CONSUMER_RECORD, r.getEventId()))
                .chain(inserted -> inserted.rowCount() == 0 ? Uni.createFrom().voidItem() : store(c, List.of(r), INSERT_ALONE)))
                .onFailure(t -> !TransientFailures.is(t)).recoverWithUni(t -> {
                    LOG.errorf(t, "could not store RecordRejected %s: its message goes to the dead-letter topic", r.getEventId());
                    return nackOnce(message, t);
                });
    }

    /** A message of many rejections goes to the dead-letter topic once, however many of them failed. */
    private final java.util.Set<KafkaRecord<?, ?>> nacked = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    private Uni<Void> nackOnce(KafkaRecord<String, GenericRecord> message, Throwable t) {
        synchronized (nacked) {
            if (!nacked.add(message)) {
                return Uni.createFrom().voidItem();
            }
        }
        return Uni.createFrom().completionStage(message.nack(t));
    }

    private Uni<Void> store(SqlConnection c, List<RecordRejected> events, String insert) {
        int n = events.size();
        if (n == 0) {
            return Uni.createFrom().voidItem();
        }
        String[] eventIds = new String[n];
        UUID[] connections = new UUID[n];
        Long[] jobs = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] namespaces = new String[n];
        String[] streams = new String[n];
        String[] objects = new String[n];
        String[] methods = new String[n];
        String[] records = new String[n];
        String[] mapped = new String[n];
        String[] reasons = new String[n];
        java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[n];
        String[] keys = new String[n];
        String[] retryKeys = new String[n];
        String[] codes = new String[n];
        String[] fields = new String[n];
        Map<String, RecordRejected> byEventId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RecordRejected r = events.get(i);
            byEventId.put(r.getEventId(), r);
            eventIds[i] = r.getEventId();
            connections[i] = UUID.fromString(r.getConnectionId());
            jobs[i] = r.getJobId();
            attempts[i] = r.getAttempt();
            namespaces[i] = r.getStreamNamespace();
            streams[i] = r.getStream();
            objects[i] = r.getDestinationObject();
            methods[i] = r.getInsertionMethod();
            records[i] = r.getRecord();
            mapped[i] = r.getMappedPayload();
            reasons[i] = reasons(r);
            times[i] = r.getOccurredAt().atOffset(ZoneOffset.UTC);
            keys[i] = r.getRecordKey();
            retryKeys[i] = retryKey(r);
            codes[i] = joined(r.getReasons().stream().map(FieldReason::getCode).toList());
            fields[i] = joined(r.getReasons().stream().map(FieldReason::getField).toList());
        }
        return c.preparedQuery(insert).execute(Tuple.from(new Object[] {eventIds, connections, jobs, attempts, namespaces, streams,
                objects, methods, records, mapped, reasons, times, keys, retryKeys, codes, fields})).chain(rows -> {
            // inserted now (not redeliveries) and keyed: an older rejection of the same record is superseded
            List<RecordRejected> keyed = new ArrayList<>();
            for (Row row : rows) {
                RecordRejected r = byEventId.get(row.getString(0));
                // sync-service says when no earlier rejection of the key can be open (its first sync, say): no lookup
                if (r != null && r.getRecordKey() != null && !Boolean.FALSE.equals(r.getSupersedes())) {
                    keyed.add(r);
                }
            }
            if (keyed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            int k = keyed.size();
            Long[] j = new Long[k];
            UUID[] cs = new UUID[k];
            String[] ss = new String[k];
            String[] ns = new String[k];
            String[] rk = new String[k];
            String[] es = new String[k];
            for (int i = 0; i < k; i++) {
                RecordRejected r = keyed.get(i);
                j[i] = r.getJobId();
                cs[i] = UUID.fromString(r.getConnectionId());
                ss[i] = r.getStream();
                ns[i] = r.getStreamNamespace();
                rk[i] = retryKey(r);
                es[i] = r.getEventId();
            }
            return c.preparedQuery(SUPERSEDE).execute(Tuple.from(new Object[] {j, cs, ss, ns, rk, es})).replaceWithVoid();
        });
    }

    static String retryKey(RecordRejected r) {
        return r.getRecordKey() != null ? r.getRecordKey() : "event:" + r.getEventId();
    }

    /** The reasons as a JSON array of {field, code, message}, written directly (thousands a second). */
    static String reasons(RecordRejected r) {
        var quote = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
        StringBuilder b = new StringBuilder(64 * r.getReasons().size() + 2).append('[');
        boolean first = true;
        for (FieldReason f : r.getReasons()) {
            b.append(first ? "" : ",").append("{\"field\":\"");
            quote.quoteAsString(f.getField() == null ? "" : f.getField(), b);
            b.append("\",\"code\":\"");
            quote.quoteAsString(f.getCode() == null ? "" : f.getCode(), b);
            b.append("\",\"message\":\"");
            quote.quoteAsString(f.getMessage() == null ? "" : f.getMessage(), b);
            b.append("\"}");
            first = false;
        }
        return b.append(']').toString();
    }

    /** ',CODE1,CODE2,' — so a filter can match one code with like. */
    static String joined(Iterable<String> values) {
        StringBuilder b = new StringBuilder(",");
        for (String v : values) {
            b.append(v == null ? "" : v).append(',');
        }
        return b.toString();
    }

    private Uni<Void> update(RejectedRecordsUpdated u) {
        if (u.getRecordKeys().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String from = "resolved".equals(u.getStatus()) ? "('open', 'retrying')" : "('open')";
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < u.getRecordKeys().size(); i++) {
            in.append(i == 0 ? "" : ", ").append(":k").append(i);
        }
        return Panache.getSession().chain(s -> {
            var q = s.createNativeQuery("update rejected_record set status = :status, status_changed_at = now(), "
                            + "status_job_id = :jobId where connection_id = :connectionId and stream = :stream and "
                            + (u.getStreamNamespace() == null ? "stream_namespace is null" : "stream_namespace = :ns")
                            + " and status in " + from + " and retry_key in (" + in + ")")
                    .setParameter("status", u.getStatus())
                    .setParameter("jobId", u.getJobId())
                    .setParameter("connectionId", UUID.fromString(u.getConnectionId()))
                    .setParameter("stream", u.getStream());
            if (u.getStreamNamespace() != null) {
                q.setParameter("ns", u.getStreamNamespace());
            }
            for (int i = 0; i < u.getRecordKeys().size(); i++) {
                q.setParameter("k" + i, u.getRecordKeys().get(i));
            }
            return q.executeUpdate();
        }).replaceWithVoid();
    }
}
