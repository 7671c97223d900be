package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.RandomIds;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RecordsRejected;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.outbox.OutboxEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an attempt has to store at its next flush, in one transaction: rejections (many to a RecordsRejected event),
 * other events after them, job log lines and the retry bookkeeping of an activation. It flushes when it holds
 * {@code batch} writes, and with each state the destination acknowledged: a restart loses neither.
 */
final class RejectionSink {
    static final int REJECTIONS_PER_EVENT = 500;

    /** One flush: everything gathered since the last, and the states it goes with. */
    record Batch(List<SourceMessage.StateMessage> states, List<OutboxEvent> events, List<JobLog> logs,
                 List<RetryRow> retryUpserts, List<RetryRow> retryDeletes, List<SyncLogTrail.Batch> syncLog) {
        Batch(List<SourceMessage.StateMessage> states, List<OutboxEvent> events, List<JobLog> logs,
              List<RetryRow> retryUpserts, List<RetryRow> retryDeletes) {
            this(states, events, logs, retryUpserts, retryDeletes, List.of());
        }
    }

    /** A rejected_retry row: a rejected record kept under its key (record and event id are null for a delete). */
    record RetryRow(String stream, String key, String record, String eventId) { }

    /** Stores a batch in one transaction. */
    @FunctionalInterface
    interface Store {
        void store(Batch batch) throws Throwable;
    }

    private final Job job;
    private final ObjectMapper json;
    private final int batch;
    private final Store store;
    private final List<OutboxEvent> events = new ArrayList<>();
    private final List<JobLog> logs = new ArrayList<>();
    private final List<RetryRow> retryUpserts = new ArrayList<>();
    private final List<RetryRow> retryDeletes = new ArrayList<>();
    /** Acknowledged record operations for the connection's sync log. */
    private final List<SyncLogTrail.Batch> syncLog = new ArrayList<>();
    private int syncLogEntries;
    /** Rejections not yet in an event: they travel many to a RecordsRejected. */
    private final List<RecordRejected> rejections = new ArrayList<>();

    RejectionSink(Job job, ObjectMapper json, int batch, Store store) {
        this.job = job;
        this.json = json;
        this.batch = batch;
        this.store = store;
    }

    void log(String level, String message) {
        logs.add(JobLog.of(job, level, message));
    }

    /** An event, after the rejections before it (consumers see them in this order). */
    void event(OutboxEvent e) {
        seal();
        events.add(e);
    }

    void rejection(RecordRejected r) {
        rejections.add(r);
        if (rejections.size() >= REJECTIONS_PER_EVENT) {
            seal();
        }
    }

    /** A record refused with no activation mapping around it: the source's or an ELT destination's refusal. */
    void rejected(SourceMessage.RecordMessage r, Map<String, Object> source, List<Rejection.Reason> reasons) {
        rejection(rejectedEvent(r, source, null, null, reasons));
    }

    /** Record operations whose fate is decided, for the sync log: stored with the next flush. */
    void syncLog(List<SyncLogTrail.Batch> batches) {
        for (SyncLogTrail.Batch b : batches) {
            syncLog.add(b);
            syncLogEntries += b.entries();
        }
    }

    void retryUpsert(String stream, String key, String record, String eventId) {
        retryUpserts.add(new RetryRow(stream, key, record, eventId));
    }

    void retryDelete(String stream, String key) {
        retryDeletes.add(new RetryRow(stream, key, null, null));
    }

    /** Flushes when the batch is full. */
    void flushIfFull() throws Throwable {
        if (size() >= batch) {
            flush();
        }
    }

    void flush() throws Throwable {
        store(List.of());
    }

    /** Stores {@code states} with everything gathered before them, in one transaction. */
    void store(List<SourceMessage.StateMessage> states) throws Throwable {
        if (states.isEmpty() && isEmpty()) {
            return;
        }
        seal();
        Batch b = new Batch(List.copyOf(states), List.copyOf(events), List.copyOf(logs), List.copyOf(retryUpserts),
                List.copyOf(retryDeletes), List.copyOf(syncLog));
        events.clear();
        syncLog.clear();
        syncLogEntries = 0;
        logs.clear();
        retryUpserts.clear();
        retryDeletes.clear();
        store.store(b);
    }

    boolean isEmpty() {
        return events.isEmpty() && rejections.isEmpty() && logs.isEmpty() && retryUpserts.isEmpty() && retryDeletes.isEmpty()
                && syncLog.isEmpty();
    }

    /** The writes waiting (log lines are few and not counted; a sync-log operation counts a quarter: one row a batch). */
    int size() {
        return events.size() + rejections.size() + retryUpserts.size() + retryDeletes.size() + syncLogEntries / 4;
    }

    /** The rejections so far, as one RecordsRejected in the outbox. */
    private void seal() {
        if (rejections.isEmpty()) {
            return;
        }
        RecordsRejected e = new RecordsRejected();
        e.setEventId(java.util.UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(job.connectionId.toString());
        e.setJobId(job.id);
        e.setRejections(List.copyOf(rejections));
        rejections.clear();
        events.add(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(), e));
    }

    /** A RecordRejected of this attempt, with an event id of its own. */
    RecordRejected rejectedEvent(SourceMessage.RecordMessage r, Map<String, Object> source, Map<String, Object> mapped,
                                 String key, List<Rejection.Reason> reasons) {
        RecordRejected e = new RecordRejected();
        e.setEventId(RandomIds.uuid().toString()); // one per rejected record
        e.setOccurredAt(Instant.now());
        e.setConnectionId(job.connectionId.toString());
        e.setJobId(job.id);
        e.setAttempt(job.attempt);
        e.setStreamNamespace(r.namespace());
        e.setStream(r.stream());
        e.setRecord(toJson(source));
        e.setMappedPayload(mapped == null ? null : toJson(mapped));
        e.setRecordKey(key);
        e.setReasons(reasons.stream().map(reason -> {
            FieldReason f = new FieldReason();
            f.setField(reason.field());
            f.setCode(reason.code().name());
            f.setMessage(reason.message());
            return f;
        }).toList());
        return e;
    }

    private String toJson(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException ex) {
            return String.valueOf(data);
        }
    }
}
