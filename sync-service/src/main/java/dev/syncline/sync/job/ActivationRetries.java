package dev.syncline.sync.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.activation.RecordMapper;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RejectedRecordsUpdated;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A data activation attempt's mapping and its retries: maps each source record onto its object and checks it (an
 * invalid one is rejected without being sent), keeps every rejection under its key so that a later sync offers it
 * again, offers the records rejected before once the source is read (unless a newer version of them came), and, once
 * the destination completed, says which of them are written now.
 */
final class ActivationRetries {
    /** How many record keys one RejectedRecordsUpdated carries. */
    static final int KEYS_PER_EVENT = 1000;

    private final Job job;
    private final Activation activation;
    private final Retries retries;
    private final SyncStats stats;
    private final RejectionSink sink;
    private final ObjectMapper json;
    /** The connection's sync log, or null when it keeps none. */
    private final SyncLogTrail trail;

    ActivationRetries(Job job, Activation activation, Retries retries, SyncStats stats, RejectionSink sink, ObjectMapper json) {
        this(job, activation, retries, stats, sink, json, null);
    }

    ActivationRetries(Job job, Activation activation, Retries retries, SyncStats stats, RejectionSink sink, ObjectMapper json,
                      SyncLogTrail trail) {
        this.trail = trail;
        this.job = job;
        this.activation = activation;
        this.retries = retries;
        this.stats = stats;
        this.sink = sink;
        this.json = json;
    }

    /** Whether the records rejected before are offered again: an activation sync or refresh that asks for it. */
    static boolean offersRejectedAgain(Job job, boolean retryRejectedRecords) {
        return job.jobType != JobType.CLEAR && retryRejectedRecords;
    }

    /** The records rejected before and still open, per stream: key → source record; logged when there are any. */
    void waiting(Map<String, Map<String, String>> waiting) {
        retries.waiting.putAll(waiting);
        retries.known = true;
        int n = waiting.values().stream().mapToInt(Map::size).sum();
        if (n > 0) {
            sink.log("INFO", n + " records rejected before are offered again unless the source sends a newer version of them");
        }
    }

    /** A source record of stream {@code stream} (qualified): mapped, checked, then written or rejected. */
    void send(String stream, SourceMessage.RecordMessage r, RecordWriter writer) throws ConnectorException {
        send(activation.plan(stream), r, writer, null);
    }

    /** The destination refused a record it was sent. */
    void refused(SourceMessage.RecordMessage r, MappedRecord m, List<Rejection.Reason> reasons) {
        reject(activation.plan(AttemptPlan.qualified(r.namespace(), r.stream())), r, m, reasons, null);
    }

    /**
     * {@code offeredAs} is the retry key a record offered again was kept under (null for a record of the source).
     */
    private void send(Activation.StreamPlan p, SourceMessage.RecordMessage r, RecordWriter writer, String offeredAs)
            throws ConnectorException {
        RecordMapper.Outcome o = p.mapper().map(r.data());
        if (offeredAs == null && retries.waiting(p.stream())) {
            String key = p.key(o.payload());
            if (key != null) {
                retries.sent(p.stream(), key);
            }
        }
        if (!o.valid()) {
            reject(p, r, o.payload(), o.reasons(), offeredAs);
            return;
        }
        if (trail != null) {
            trail.sending(p, o.payload());
        }
        writer.write(new SourceMessage.RecordMessage(r.namespace(), r.stream(), o.payload(), r.emittedAt(), r.changes()));
    }

    private void reject(Activation.StreamPlan p, SourceMessage.RecordMessage r, MappedRecord mapped,
                        List<Rejection.Reason> reasons, String offeredAs) {
        stats.rejected(r.namespace(), r.stream());
        if (trail != null) {
            trail.rejected(p, mapped, reasons);
        }
        String key = p.key(mapped);
        RecordRejected e = sink.rejectedEvent(r, mapped.source(), mapped, key, reasons);
        e.setDestinationObject(p.object());
        e.setInsertionMethod(p.method().wireName());
        sink.rejection(e);
        String retryKey = key != null ? key : "event:" + e.getEventId();
        if (key != null) {
            Set<String> offered = retries.offered.get(p.stream());
            e.setSupersedes(retries.supersedes(p.stream(), retryKey, offeredAs != null || offered != null && offered.contains(key)));
        } else {
            e.setSupersedes(false); // kept under its own event id: nothing came before it
        }
        retries.rejected(p.stream(), retryKey);
        if (offeredAs != null) {
            retries.rejected(p.stream(), offeredAs);
            if (!offeredAs.equals(retryKey)) {
                sink.retryDelete(p.stream(), offeredAs);
            }
        }
        sink.retryUpsert(p.stream(), retryKey, e.getRecord(), e.getEventId());
    }

    /** The records rejected before that no newer version superseded in this sync: mapped again and sent again. */
    void offerAgain(RecordWriter writer) throws Throwable {
        for (Activation.StreamPlan p : activation.plans()) {
            Map<String, String> waiting = retries.waiting.remove(p.stream());
            if (waiting == null || waiting.isEmpty()) {
                continue;
            }
            List<String> keys = new ArrayList<>(waiting.keySet());
            updated(p, "retrying", keys);
            sink.log("INFO", keys.size() + " records of " + p.stream() + " rejected before are offered again");
            Set<String> offered = retries.offered.computeIfAbsent(p.stream(), k -> new HashSet<>());
            for (var w : waiting.entrySet()) {
                Map<String, Object> data = json.readValue(w.getValue(), new TypeReference<LinkedHashMap<String, Object>>() { });
                offered.add(w.getKey());
                stats.read(p.namespace(), p.name(), SyncStats.approximateBytes(data));
                send(p, new SourceMessage.RecordMessage(p.namespace(), p.name(), data, Instant.now()), writer, w.getKey());
                sink.flushIfFull();
            }
        }
    }

    /** The connection's sync log of this attempt, or null. */
    SyncLogTrail trail() {
        return trail;
    }

    /** Once the destination completed: the keys offered again (or superseded) and not rejected again are written. */
    void resolved() {
        for (var e : retries.offered.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Activation.StreamPlan p = activation.plan(e.getKey());
            List<String> keys = new ArrayList<>(e.getValue());
            for (String k : keys) {
                sink.retryDelete(e.getKey(), k);
            }
            updated(p, "resolved", keys);
            sink.log("INFO", keys.size() + " records of " + e.getKey() + " rejected before are written now");
        }
    }

    private void updated(Activation.StreamPlan p, String status, List<String> keys) {
        for (int i = 0; i < keys.size(); i += KEYS_PER_EVENT) {
            RejectedRecordsUpdated e = new RejectedRecordsUpdated();
            e.setEventId(UUID.randomUUID().toString());
            e.setOccurredAt(Instant.now());
            e.setConnectionId(job.connectionId.toString());
            e.setJobId(job.id);
            e.setStreamNamespace(p.namespace());
            e.setStream(p.name());
            e.setStatus(status);
            e.setRecordKeys(List.copyOf(keys.subList(i, Math.min(keys.size(), i + KEYS_PER_EVENT))));
            sink.event(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(), e));
        }
    }
}
