package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.activation.RecordMapper;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.PrefetchingReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.RowData;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RecordsRejected;
import dev.syncline.events.RejectedRecordsUpdated;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncProgress;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.kit.actors.ActorCopy;
import dev.syncline.kit.catalog.CatalogAvro;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.outbox.OutboxEvent;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One attempt of a job, on one thread: reads the source, writes the destination, turns refusals into RecordRejected
 * events, stores each stream's state once the destination acknowledged it, and records the outcome — a retry with
 * backoff when the failure is retryable and attempts remain. Plain blocking connectors; the bookkeeping goes through
 * Hibernate Reactive on the Vert.x context ({@link VertxContextSupport#subscribeAndAwait}).
 * <p>
 * Reader and writer run on this one thread, so the writer's pace is the reader's: backpressure without a queue, and
 * memory stays flat whatever the row count (the destination flushes by bytes).
 */
@ApplicationScoped
public class SyncRun {
    private static final Logger LOG = Logger.getLogger(SyncRun.class);

    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    Outbox outbox;

    @Inject
    io.vertx.mutiny.sqlclient.Pool db;

    @Inject
    ObjectMapper json;

    @Inject
    Heartbeats heartbeats;

    @Inject
    SyncMetrics metrics;

    @Inject
    StreamGenerations generations;

    @ConfigProperty(name = "syncline.sync.rejection-batch", defaultValue = "5000")
    int rejectionBatch;

    @ConfigProperty(name = "syncline.sync.progress-interval", defaultValue = "PT5S")
    Duration progressInterval;

    /** How often a running sync adds its counts to the records read/written/rejected counters. */
    static final long METRICS_INTERVAL_NANOS = 1_000_000_000L;

    @ConfigProperty(name = "syncline.sync.max-attempts", defaultValue = "3")
    int maxAttempts;

    @ConfigProperty(name = "syncline.sync.retry-backoff", defaultValue = "PT10S")
    Duration firstBackoff;

    @ConfigProperty(name = "syncline.sync.retry-backoff-max", defaultValue = "PT30M")
    Duration maxBackoff;

    @ConfigProperty(name = "syncline.sync.max-consecutive-failures", defaultValue = "30")
    int maxConsecutiveFailures;

    /** Set when the instance stops: an interrupted attempt is handed back, not recorded as failed. */
    volatile boolean stopping;

    /** Everything an attempt needs, read once at its start. */
    record Plan(Job job, ConnectionCopy connection, ConnectionConfiguration configuration, ActorCopy source,
                ActorCopy destination, Map<String, JsonNode> state) { }

    /** The job was cancelled while it ran. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /** Backoff before attempt {@code attempt + 1}: first, ×3 each time, capped. */
    static Duration backoff(Duration first, Duration max, int attempt) {
        Duration d = first;
        for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(3);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** What the attempt has to store at its next flush, in one transaction: rejections, logs, retry bookkeeping. */
    static final class Pending {
        static final int REJECTIONS_PER_EVENT = 500;
        final UUID connectionId;
        final long jobId;
        final List<OutboxEvent> events = new ArrayList<>();
        final List<JobLog> logs = new ArrayList<>();
        /** rejected_retry rows to upsert: stream, key, source record, event id. */
        final List<String[]> retryUpserts = new ArrayList<>();
        /** rejected_retry rows to delete: stream, key. */
        final List<String[]> retryDeletes = new ArrayList<>();

        /** Rejections not yet in an event: they travel many to a RecordsRejected. */
        final List<RecordRejected> rejections = new ArrayList<>();

        Pending(UUID connectionId, long jobId) {
            this.connectionId = connectionId;
            this.jobId = jobId;
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

        /** The rejections so far, as one RecordsRejected in the outbox. */
        void seal() {
            if (rejections.isEmpty()) {
                return;
            }
            RecordsRejected e = new RecordsRejected();
            e.setEventId(UUID.randomUUID().toString());
            e.setOccurredAt(Instant.now());
            e.setConnectionId(connectionId.toString());
            e.setJobId(jobId);
            e.setRejections(List.copyOf(rejections));
            rejections.clear();
            events.add(Outbox.row(Topics.RECORDS_REJECTED, connectionId.toString(), e));
        }

        boolean isEmpty() {
            return events.isEmpty() && rejections.isEmpty() && logs.isEmpty() && retryUpserts.isEmpty() && retryDeletes.isEmpty();
        }

        int size() {
            return events.size() + rejections.size() + retryUpserts.size() + retryDeletes.size();
        }
    }

    void run(Job claimed) throws Throwable {
        Plan plan = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> load(claimed.id)));
        Job job = plan.job();
        SyncStats stats = new SyncStats();
        Pending pending = new Pending(job.connectionId, job.id);
        Map<String, SourceMessage.StateMessage> deferredStates = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        // watched from here and unwatched in the finally, whatever fails: a job left watched would beat as running for
        // ever, and its connection would never sync again (SyncStarted went out with the claim: Jobs.claimNext)
        SyncMetrics.Reporter reporter = metrics.start();
        AtomicBoolean cancelled = heartbeats.watch(job.id);
        String[] where = {"source", null};
        try {
            pending.logs.add(JobLog.of(job, "INFO", "attempt " + job.attempt + " of " + job.jobType + " job " + job.id + " started"));
            if ("paused".equals(plan.connection().status)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "the connection is paused"
                        + (plan.connection().statusReason == null ? "" : ": " + plan.connection().statusReason));
            }
            SourceConnector source = connectors.source(plan.source().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no source connector " + plan.source().connectorType));
            DestinationConnector destination = connectors.destination(plan.destination().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no destination connector " + plan.destination().connectorType));
            ConfiguredCatalog catalog = generations.of(job, jobCatalog(job, catalog(plan.configuration(),
                    destination.supportedSyncModes())));
            Set<String> streamNames = new java.util.HashSet<>();
            catalog.streams().forEach(s -> streamNames.add(s.stream().qualifiedName()));
            Activation activation = Activation.of(plan.configuration(), catalog);
            catalog.streams().forEach(s -> stats.register(s.stream().namespace(), s.stream().name()));
            Retries retries = new Retries();
            if (activation != null && !Job.CLEAR.equals(job.jobType) && plan.configuration().getRetryRejectedRecords()) {
                retries.waiting.putAll(waitingRetries(job.connectionId));
                retries.known = true;
                int n = retries.waiting.values().stream().mapToInt(Map::size).sum();
                if (n > 0) {
                    pending.logs.add(JobLog.of(job, "INFO", n + " records rejected before are offered again unless the "
                            + "source sends a newer version of them"));
                }
            }
            Map<String, JsonNode> state = new HashMap<>();
            Set<String> storeAtOnce = new java.util.HashSet<>();
            if (Job.SYNC.equals(job.jobType)) {
                // the whole source's state (a CDC position shared by every stream): a sync reads on from it, and stores
                // it at each checkpoint (a full refresh stream reads everything whatever it says)
                storeAtOnce.add(SourceMessage.StateMessage.WHOLE_SOURCE);
                JsonNode saved = plan.state().get(SourceMessage.StateMessage.WHOLE_SOURCE);
                if (saved != null) {
                    state.put(SourceMessage.StateMessage.WHOLE_SOURCE, saved);
                    pending.logs.add(JobLog.of(job, "INFO", "the source reads on from its saved state"));
                }
            }
            for (ConfiguredStream s : catalog.streams()) {
                String key = s.stream().qualifiedName();
                if (resumable(job, s)) {
                    storeAtOnce.add(key);
                    JsonNode saved = plan.state().get(key);
                    if (saved != null) {
                        state.put(key, saved);
                        pending.logs.add(JobLog.of(job, "INFO", "stream " + key + " reads on from " + saved));
                    }
                }
            }
            WriteListener listener = new WriteListener() {
                @Override
                public void rejected(Rejection r) {
                    String stream = qualified(r.record().namespace(), r.record().stream());
                    if (activation != null && r.record().data() instanceof MappedRecord m) {
                        reject(job, activation.plan(stream), r.record(), m, r.reasons(), stats, pending, retries, null);
                    } else {
                        stats.rejected(r.record().namespace(), r.record().stream());
                        pending.rejection(rejectedEvent(job, r.record(), r.record().data(), null, null, r.reasons()));
                    }
                }

                @Override
                public void checkpointed(SourceMessage.StateMessage s) {
                    String key = s.key();
                    if (storeAtOnce.contains(key)) {
                        try {
                            storeStates(job, List.of(s), pending);
                        } catch (Throwable t) {
                            throw new IllegalStateException("could not store the state of " + key + ": " + t.getMessage(), t);
                        }
                    } else {
                        deferredStates.put(key, s);
                    }
                }
            };
            long nextProgress = System.nanoTime() + progressInterval.toNanos();
            // the metrics (rows/s on the Operations page and in Prometheus) every second, progress events less often
            long nextReport = System.nanoTime() + METRICS_INTERVAL_NANOS;
            ConfiguredCatalog writeCatalog = activation == null ? catalog : activation.writeCatalog();
            // the bounded buffer between reader and writer: the source reads ahead while the destination writes
            try (MessageReader reader = Job.CLEAR.equals(job.jobType) ? null
                    : PrefetchingReader.wrap(source.read(config(plan.source()), catalog, state))) {
                where[0] = "destination";
                try (RecordWriter writer = destination.open(config(plan.destination()), writeCatalog, listener)) {
                    String lastNamespace = null;
                    String lastStream = null;
                    String lastQualified = null;
                    while (reader != null) {
                        if (cancelled.get()) {
                            throw new Cancelled();
                        }
                        where[0] = "source";
                        SourceMessage m;
                        try {
                            if (!reader.hasNext()) {
                                break;
                            }
                            m = reader.next();
                        } catch (UncheckedConnectorException e) {
                            throw e.connectorException();
                        }
                        where[0] = "destination";
                        switch (m) {
                            case SourceMessage.RecordMessage r -> {
                                if (r.namespace() != lastNamespace || r.stream() != lastStream) { // a new run of a stream
                                    lastNamespace = r.namespace();
                                    lastStream = r.stream();
                                    where[0] = "source";
                                    lastQualified = configured(streamNames, r.namespace(), r.stream());
                                    where[0] = "destination";
                                }
                                where[1] = lastQualified;
                                stats.read(r.namespace(), r.stream(), approximateBytes(r.data()));
                                if (activation == null) {
                                    writer.write(r);
                                } else {
                                    send(job, activation.plan(where[1]), r, writer, stats, pending, retries, null);
                                }
                            }
                            case SourceMessage.StateMessage s -> writer.checkpoint(s);
                            case SourceMessage.LogMessage l -> LOG.debugf("job %d source: %s", job.id, l.message());
                            case SourceMessage.RejectedRecord x -> {
                                where[0] = "source";
                                where[1] = configured(streamNames, x.namespace(), x.stream());
                                stats.read(x.namespace(), x.stream(), approximateBytes(x.data()));
                                stats.rejected(x.namespace(), x.stream());
                                pending.rejection(rejectedEvent(job, new SourceMessage.RecordMessage(x.namespace(), x.stream(),
                                        x.data(), Instant.now()), x.data(), null, null, x.reasons()));
                            }
                        }
                        if (pending.size() >= rejectionBatch) {
                            flush(pending);
                        }
                        long now = System.nanoTime();
                        if (now > nextReport) {
                            reporter.report(stats);
                            nextReport = now + METRICS_INTERVAL_NANOS;
                        }
                        if (now > nextProgress) {
                            progress(job, stats, t0);
                            nextProgress = System.nanoTime() + progressInterval.toNanos();
                        }
                    }
                    if (cancelled.get()) {
                        throw new Cancelled();
                    }
                    where[0] = "destination";
                    where[1] = null;
                    if (activation != null) {
                        offerAgain(job, activation, writer, stats, pending, retries);
                    }
                    writer.complete();
                }
            }
            if (activation != null) {
                resolved(job, activation, pending, retries);
            }
            // states of streams that are only consistent once the whole job is (overwrite, refresh, clear)
            List<SourceMessage.StateMessage> finalStates = new ArrayList<>(deferredStates.values());
            storeStates(job, finalStates, pending);
            if (Job.CLEAR.equals(job.jobType)) {
                clearStates(job, catalog);
            }
            pending.logs.add(JobLog.of(job, "INFO", stats.recordsRead() + " records read, " + stats.recordsWritten() + " written, "
                    + stats.recordsRejected() + " rejected"));
            flush(pending);
            finish(job, stats, t0, null);
            LOG.infof("job %d (%s) of connection %s succeeded: %d read, %d written, %d rejected in %d ms", job.id,
                    job.jobType, job.connectionId, stats.recordsRead(), stats.recordsWritten(), stats.recordsRejected(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (Cancelled e) {
            if (stopping) {
                LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
                return;
            }
            pending.logs.add(JobLog.of(job, "INFO", "cancelled"));
            flush(pending);
            cancel(job, stats, t0);
            LOG.infof("job %d of connection %s cancelled", job.id, job.connectionId);
        } catch (ConnectorException e) {
            if (stopping) {
                LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
                return;
            }
            String type = switch (e.type()) {
                case CONFIG -> "config_error";
                case TRANSIENT -> "transient_error";
                case SYSTEM -> "system_error";
            };
            Job.Failure f = new Job.Failure(e.getMessage(), where[0], type, e.type() != ConnectorException.Type.CONFIG, where[1]);
            pending.logs.add(JobLog.of(job, "ERROR", where[0] + " " + type + ": " + e.getMessage()));
            flush(pending);
            finish(job, stats, t0, f);
            LOG.infof("job %d of connection %s, attempt %d failed (%s, %s): %s", job.id, job.connectionId, job.attempt,
                    where[0], type, e.getMessage());
        } catch (RuntimeException e) {
            // a platform failure (its database away, a bug): retryable, as the database may be back for the next attempt
            if (stopping) {
                LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
                return;
            }
            pending.logs.add(JobLog.of(job, "ERROR", "internal error: " + e));
            flush(pending);
            finish(job, stats, t0, new Job.Failure("internal error: " + e, "platform", "system_error", true, where[1]));
            LOG.errorf(e, "job %d of connection %s failed", job.id, job.connectionId);
        } finally {
            reporter.report(stats);
            reporter.close();
            heartbeats.unwatch(job.id);
        }
    }

    /**
     * Data activation: maps a source record onto its object and checks it; a valid one goes to the destination, an
     * invalid one becomes a RecordRejected without being sent. {@code offeredAs} is the retry key a record offered
     * again was kept under.
     */
    private void send(Job job, Activation.StreamPlan p, SourceMessage.RecordMessage r, RecordWriter writer, SyncStats stats,
                      Pending pending, Retries retries, String offeredAs) throws ConnectorException {
        RecordMapper.Outcome o = p.mapper().map(r.data());
        if (offeredAs == null && retries.waiting(p.stream())) {
            String key = p.key(o.payload());
            if (key != null) {
                retries.sent(p.stream(), key);
            }
        }
        if (!o.valid()) {
            reject(job, p, r, o.payload(), o.reasons(), stats, pending, retries, offeredAs);
            return;
        }
        writer.write(new SourceMessage.RecordMessage(r.namespace(), r.stream(), o.payload(), r.emittedAt(), r.changes()));
    }

    private void reject(Job job, Activation.StreamPlan p, SourceMessage.RecordMessage r, MappedRecord mapped,
                        List<Rejection.Reason> reasons, SyncStats stats, Pending pending, Retries retries, String offeredAs) {
        stats.rejected(r.namespace(), r.stream());
        String key = p.key(mapped);
        RecordRejected e = rejectedEvent(job, r, mapped.source(), mapped, key, reasons);
        e.setDestinationObject(p.object());
        e.setInsertionMethod(p.method().wireName());
        pending.rejection(e);
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
                pending.retryDeletes.add(new String[] {p.stream(), offeredAs});
            }
        }
        pending.retryUpserts.add(new String[] {p.stream(), retryKey, e.getRecord(), e.getEventId()});
    }

    /** The records rejected before that no newer version superseded in this sync: mapped again and sent again. */
    private void offerAgain(Job job, Activation activation, RecordWriter writer, SyncStats stats, Pending pending,
                            Retries retries) throws Throwable {
        for (Activation.StreamPlan p : activation.plans()) {
            Map<String, String> waiting = retries.waiting.remove(p.stream());
            if (waiting == null || waiting.isEmpty()) {
                continue;
            }
            List<String> keys = new ArrayList<>(waiting.keySet());
            for (int i = 0; i < keys.size(); i += 1000) {
                pending.event(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(),
                        recordsUpdated(job, p.namespace(), p.name(), "retrying", keys.subList(i, Math.min(keys.size(), i + 1000)))));
            }
            pending.logs.add(JobLog.of(job, "INFO", keys.size() + " records of " + p.stream() + " rejected before are offered again"));
            Set<String> offered = retries.offered.computeIfAbsent(p.stream(), k -> new java.util.HashSet<>());
            for (var w : waiting.entrySet()) {
                Map<String, Object> data = json.readValue(w.getValue(), new TypeReference<LinkedHashMap<String, Object>>() { });
                offered.add(w.getKey());
                stats.read(p.namespace(), p.name(), approximateBytes(data));
                send(job, p, new SourceMessage.RecordMessage(p.namespace(), p.name(), data, Instant.now()), writer, stats, pending,
                        retries, w.getKey());
                if (pending.size() >= rejectionBatch) {
                    flush(pending);
                }
            }
        }
    }

    /** Once the destination completed: the keys offered again (or superseded) and not rejected again are written. */
    private void resolved(Job job, Activation activation, Pending pending, Retries retries) {
        for (var e : retries.offered.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Activation.StreamPlan p = activation.plan(e.getKey());
            List<String> keys = new ArrayList<>(e.getValue());
            for (String k : keys) {
                pending.retryDeletes.add(new String[] {e.getKey(), k});
            }
            for (int i = 0; i < keys.size(); i += 1000) {
                pending.event(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(),
                        recordsUpdated(job, p.namespace(), p.name(), "resolved", keys.subList(i, Math.min(keys.size(), i + 1000)))));
            }
            pending.logs.add(JobLog.of(job, "INFO", keys.size() + " records of " + e.getKey() + " rejected before are written now"));
        }
    }

    private RejectedRecordsUpdated recordsUpdated(Job job, String namespace, String stream, String status, List<String> keys) {
        RejectedRecordsUpdated e = new RejectedRecordsUpdated();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(job.connectionId.toString());
        e.setJobId(job.id);
        e.setStreamNamespace(namespace);
        e.setStream(stream);
        e.setStatus(status);
        e.setRecordKeys(List.copyOf(keys));
        return e;
    }

    /** The records waiting to be offered again, per stream: key → source record. */
    private Map<String, Map<String, String>> waitingRetries(UUID connectionId) throws Throwable {
        List<Object[]> rows = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("select stream, record_key, record from rejected_retry where connection_id = ?1",
                        Object[].class).setParameter(1, connectionId).getResultList())));
        Map<String, Map<String, String>> out = new HashMap<>();
        for (Object[] r : rows) {
            out.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).put((String) r[1], (String) r[2]);
        }
        return out;
    }

    /**
     * A stream whose state is stored at each checkpoint (a restart reads on from there): an incremental stream
     * appended to in a sync. Overwrite streams start over and refreshes re-read everything, so their state counts only
     * once the job completes.
     */
    static boolean resumable(Job job, ConfiguredStream s) {
        return Job.SYNC.equals(job.jobType) && s.syncMode() == SyncMode.INCREMENTAL
                && (s.destinationSyncMode() == DestinationSyncMode.APPEND
                || s.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP);
    }

    private Uni<Plan> load(long jobId) {
        return Job.<Job>findById(jobId).chain(job -> ConnectionCopy.<ConnectionCopy>findById(job.connectionId)
                .chain(c -> ActorCopy.<ActorCopy>findById(c.sourceId)
                        .chain(src -> ActorCopy.<ActorCopy>findById(c.destinationId)
                                .chain(dst -> StreamState.<StreamState>list("connectionId", c.id).map(states -> {
                                    Map<String, JsonNode> state = new HashMap<>();
                                    for (StreamState s : states) {
                                        try {
                                            state.put(s.stream, json.readTree(s.state));
                                        } catch (JsonProcessingException e) {
                                            LOG.warnf("state of %s/%s is not JSON: read from the start", c.id, s.stream);
                                        }
                                    }
                                    return new Plan(job, c, c.configuration(), src, dst, state);
                                })))));
    }

    /**
     * The streams a job covers, as it writes them: a sync every stream; a clear or refresh its scope (every stream
     * when none), a clear and a removing refresh replacing the destination's rows (overwrite keeps the old rows
     * readable until the new ones are complete).
     */
    ConfiguredCatalog jobCatalog(Job job, ConfiguredCatalog all) {
        if (Job.SYNC.equals(job.jobType)) {
            return all;
        }
        Set<String> scope = null;
        if (job.scope != null) {
            try {
                List<Map<String, String>> refs = json.readValue(job.scope, new TypeReference<>() { });
                scope = new java.util.HashSet<>();
                for (var r : refs) {
                    scope.add(qualified(r.get("namespace"), r.get("name")));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("scope of job " + job.id + " is not JSON", e);
            }
        }
        boolean replace = Job.CLEAR.equals(job.jobType) || "remove".equals(job.refreshMode);
        List<ConfiguredStream> streams = new ArrayList<>();
        for (ConfiguredStream s : all.streams()) {
            if (scope != null && !scope.contains(s.stream().qualifiedName())) {
                continue;
            }
            DestinationSyncMode mode = s.destinationSyncMode();
            if (replace) {
                mode = mode == DestinationSyncMode.APPEND_DEDUP || mode == DestinationSyncMode.OVERWRITE_DEDUP
                        ? DestinationSyncMode.OVERWRITE_DEDUP : DestinationSyncMode.OVERWRITE;
            }
            streams.add(s.withDestinationSyncMode(mode));
        }
        return new ConfiguredCatalog(streams);
    }

    /** The connection's configured streams, named as the destination will name them. */
    static ConfiguredCatalog catalog(ConnectionConfiguration c, Set<DestinationSyncMode> supported) throws ConnectorException {
        List<ConfiguredStream> streams = new ArrayList<>();
        for (var s : c.getConfiguredCatalog().getStreams()) {
            SyncMode mode = SyncMode.fromWireName(s.getSyncMode()).orElseThrow();
            DestinationSyncMode destMode = DestinationSyncMode.fromWireName(s.getDestinationSyncMode()).orElseThrow();
            if (!supported.contains(destMode)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "the destination does not support "
                        + destMode.wireName() + " (stream " + s.getName() + ")");
            }
            List<Field> fields = CatalogAvro.fieldsFromAvro(s.getFields());
            Stream stream = new Stream(s.getNamespace(), s.getName(), fields, Set.of(mode), false, s.getCursorField(),
                    s.getPrimaryKey());
            String name = (c.getPrefix() == null ? "" : c.getPrefix())
                    + (s.getDestinationName() != null ? s.getDestinationName() : s.getName());
            streams.add(new ConfiguredStream(stream, fields, mode, destMode, s.getCursorField(), s.getPrimaryKey(),
                    namespace(c, s.getNamespace()), name));
        }
        return new ConfiguredCatalog(streams);
    }

    /** Destination namespace: the source's, the destination's default (null), or a custom format. */
    static String namespace(ConnectionConfiguration c, String sourceNamespace) {
        return switch (c.getNamespaceDefinition()) {
            case "source" -> sourceNamespace;
            case "custom_format" -> {
                String format = c.getNamespaceFormat();
                if (format == null || format.isBlank()) {
                    yield null;
                }
                yield format.replace("${SOURCE_NAMESPACE}", sourceNamespace == null ? "" : sourceNamespace);
            }
            default -> null;
        };
    }

    /** The stream's qualified name; a stream the connection does not sync fails the attempt: the source is wrong. */
    static String configured(Set<String> streams, String namespace, String name) throws ConnectorException {
        String q = qualified(namespace, name);
        if (!streams.contains(q)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "the source sent a record of stream " + q
                    + ", which this connection does not sync");
        }
        return q;
    }

    static String qualified(String namespace, String name) {
        return namespace == null ? name : namespace + "." + name;
    }

    private ObjectNode config(ActorCopy actor) throws ConnectorException {
        try {
            return secrets.decryptAll((ObjectNode) json.readTree(actor.config));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "stored config of " + actor.id + " is not JSON");
        }
    }

    private static long approximateBytes(Map<String, Object> data) {
        long n = 0;
        if (data instanceof RowData row) {
            RowData.Layout layout = row.layout();
            for (int i = 0; i < layout.size(); i++) {
                Object v = row.value(i);
                n += layout.name(i).length() + 2 + (v instanceof String s ? s.length() + 2 : 8);
            }
            return n;
        }
        for (var e : data.entrySet()) {
            n += e.getKey().length() + 2;
            Object v = e.getValue();
            n += v instanceof String s ? s.length() + 2 : 8;
        }
        return n;
    }

    /** Rejections, log lines and retry bookkeeping so far, in one transaction. */
    private void flush(Pending pending) throws Throwable {
        storeStates(null, List.of(), pending);
    }

    /**
     * Stores states with the rejections before them, in one transaction: a restart loses neither. Straight on the
     * reactive pool, one statement per table (arrays unnested into rows): a sync rejecting every record flushes
     * thousands of rows a second, which Hibernate's per-parameter binding of multi-row statements cannot keep up with.
     */
    private void storeStates(Job job, List<SourceMessage.StateMessage> states, Pending pending) throws Throwable {
        if (states.isEmpty() && pending.isEmpty()) {
            return;
        }
        pending.seal();
        List<OutboxEvent> events = new ArrayList<>(pending.events);
        List<JobLog> logs = new ArrayList<>(pending.logs);
        List<String[]> upserts = new ArrayList<>(pending.retryUpserts);
        List<String[]> deletes = new ArrayList<>(pending.retryDeletes);
        pending.events.clear();
        pending.logs.clear();
        pending.retryUpserts.clear();
        pending.retryDeletes.clear();
        List<String[]> rows = new ArrayList<>();
        for (SourceMessage.StateMessage s : states) {
            rows.add(new String[] {s.key(), json.writeValueAsString(s.state())});
        }
        db.withTransaction(c -> {
            Uni<Void> all = Outbox.insertAll(c, events).chain(() -> insertLogs(c, logs));
            for (String[] r : rows) {
                all = all.chain(() -> c.preparedQuery("insert into stream_state (connection_id, stream, state, job_id, "
                                + "updated_at) values ($1, $2, $3, $4, now()) on conflict (connection_id, stream) do update "
                                + "set state = excluded.state, job_id = excluded.job_id, updated_at = excluded.updated_at")
                        .execute(Tuple.of(job.connectionId, r[0], r[1], job.id)).replaceWithVoid());
            }
            return retryRows(c, all, pending.connectionId, pending.jobId, upserts, deletes);
        }).await().indefinitely();
    }

    private static Uni<Void> insertLogs(SqlConnection c, List<JobLog> logs) {
        if (logs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = logs.size();
        Long[] jobs = new Long[n];
        Integer[] attempts = new Integer[n];
        java.time.OffsetDateTime[] at = new java.time.OffsetDateTime[n];
        String[] levels = new String[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            JobLog l = logs.get(i);
            jobs[i] = l.jobId;
            attempts[i] = l.attempt;
            at[i] = l.at;
            levels[i] = l.level;
            messages[i] = l.message;
        }
        // in the order they were logged: their ids are the lines' order
        return c.preparedQuery("insert into job_log (job_id, attempt, at, level, message) select j, a, t, l, m from "
                        + "unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::text[], $5::text[]) with ordinality "
                        + "as x(j, a, t, l, m, o) order by o")
                .execute(Tuple.of(jobs, attempts, at, levels, messages)).replaceWithVoid();
    }

    /** rejected_retry: deletes, then upserts, each as one statement. */
    private static Uni<Void> retryRows(SqlConnection c, Uni<Void> all, UUID connectionId, long jobId, List<String[]> upserts,
                                       List<String[]> deletes) {
        if (!deletes.isEmpty()) {
            String[] streams = deletes.stream().map(d -> d[0]).toArray(String[]::new);
            String[] keys = deletes.stream().map(d -> d[1]).toArray(String[]::new);
            all = all.chain(() -> c.preparedQuery("delete from rejected_retry r using unnest($2::text[], $3::text[]) as x(s, k) "
                            + "where r.connection_id = $1 and r.stream = x.s and r.record_key = x.k")
                    .execute(Tuple.of(connectionId, streams, keys)).replaceWithVoid());
        }
        // the last rejection of a key wins (a batch may hold the same key twice: keep the later one)
        Map<String, String[]> latest = new LinkedHashMap<>();
        for (String[] u : upserts) {
            latest.remove(u[0] + "\u0000" + u[1]);
            latest.put(u[0] + "\u0000" + u[1], u);
        }
        if (!latest.isEmpty()) {
            List<String[]> unique = new ArrayList<>(latest.values());
            String[] streams = new String[unique.size()];
            String[] keys = new String[unique.size()];
            String[] records = new String[unique.size()];
            String[] eventIds = new String[unique.size()];
            for (int i = 0; i < unique.size(); i++) {
                String[] u = unique.get(i);
                streams[i] = u[0];
                keys[i] = u[1];
                records[i] = u[2];
                eventIds[i] = u[3];
            }
            all = all.chain(() -> c.preparedQuery("insert into rejected_retry (connection_id, stream, record_key, record, event_id, "
                            + "job_id) select $1, s, k, r, e, $2 from unnest($3::text[], $4::text[], $5::text[], $6::text[]) "
                            + "as x(s, k, r, e) on conflict (connection_id, stream, record_key) do update set record = excluded.record, "
                            + "event_id = excluded.event_id, job_id = excluded.job_id, rejected_at = now()")
                    .execute(Tuple.of(connectionId, jobId, streams, keys, records, eventIds)).replaceWithVoid());
        }
        return all;
    }

    /**
     * A clear resets the state of the streams it cleared, and the whole source's state (it holds their positions too,
     * in a form only the source knows): the next sync reads them from the start.
     */
    private void clearStates(Job job, ConfiguredCatalog catalog) throws Throwable {
        List<String> keys = new ArrayList<>(catalog.streams().stream().map(s -> s.stream().qualifiedName()).toList());
        keys.add(SourceMessage.StateMessage.WHOLE_SOURCE);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                StreamState.delete("connectionId = ?1 and stream in (?2)", job.connectionId, keys)));
    }

    private void cancel(Job job, SyncStats stats, long t0) throws Throwable {
        String statsJson = json.writeValueAsString(stats.perStream());
        long duration = (System.nanoTime() - t0) / 1_000_000;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id).chain(j -> {
            j.addAttempt(stats);
            j.cancel(statsJson);
            return Attempt.<Attempt>findById(new Attempt.Key(j.id, j.attempt))
                    .invoke(a -> a.end("cancelled", stats, statsJson, null))
                    .chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(),
                            Jobs.cancelled(j, stats.toAvro(), duration)));
        })));
    }

    private void finish(Job job, SyncStats stats, long t0, Job.Failure failure) throws Throwable {
        String statsJson = json.writeValueAsString(stats.perStream());
        long duration = (System.nanoTime() - t0) / 1_000_000;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id)
                .chain(j -> ConnectionCopy.<ConnectionCopy>findById(j.connectionId).chain(c -> {
                    j.addAttempt(stats);
                    Uni<Attempt> attempt = Attempt.<Attempt>findById(new Attempt.Key(j.id, j.attempt))
                            .invoke(a -> a.end(failure == null ? "succeeded" : "failed", stats, statsJson, failure));
                    if (failure == null) {
                        j.succeed(j.streamStatsMerged(statsJson));
                        c.consecutiveFailures = 0;
                        SyncSucceeded e = new SyncSucceeded();
                        fill(e, j);
                        e.setStreams(stats.toAvro());
                        e.setDurationMillis(duration);
                        return attempt.chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), e));
                    }
                    boolean retry = failure.retryable() && j.attempt < maxAttempts && !j.cancelRequested;
                    Duration retryIn = retry ? backoff(firstBackoff, maxBackoff, j.attempt) : null;
                    j.fail(j.streamStatsMerged(statsJson), failure, retryIn);
                    if (retry) {
                        return attempt.chain(() -> JobLog.of(j, "INFO", "attempt " + j.attempt + " failed; attempt "
                                + (j.attempt + 1) + " in " + retryIn.toSeconds() + " s").persist()).replaceWithVoid();
                    }
                    c.consecutiveFailures++;
                    SyncFailed e = new SyncFailed();
                    fill(e, j);
                    e.setStreams(stats.toAvro());
                    e.setMessage(failure.message());
                    e.setFailureOrigin(failure.origin());
                    e.setFailureType(failure.type());
                    e.setRetryable(failure.retryable());
                    e.setStream(failure.stream());
                    e.setDurationMillis(duration);
                    e.setConsecutiveFailures(c.consecutiveFailures);
                    e.setPauseConnection(c.consecutiveFailures >= maxConsecutiveFailures);
                    return attempt.chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), e));
                }))));
    }

    /**
     * The counts so far, in one transaction: a SyncProgress event, and the running attempt's row (which the job API adds
     * to the counts of the attempts before it, so a running job's counts grow while it runs).
     */
    private void progress(Job job, SyncStats stats, long t0) throws Throwable {
        SyncProgress e = new SyncProgress();
        fill(e, job);
        e.setStreams(stats.toAvro());
        double seconds = Math.max(0.001, (System.nanoTime() - t0) / 1e9);
        e.setRecordsPerSecond(stats.recordsRead() / seconds);
        String statsJson = json.writeValueAsString(stats.perStream());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.publish(Topics.SYNC_EVENTS,
                job.connectionId.toString(), e).chain(() -> Attempt.<Attempt>findById(new Attempt.Key(job.id, job.attempt)))
                .invoke(a -> a.progress(stats, statsJson))));
    }

    /** The fields every job event shares. */
    private static void fill(org.apache.avro.specific.SpecificRecordBase e, Job j) {
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now());
        e.put("connectionId", j.connectionId.toString());
        e.put("jobId", j.id);
        e.put("attempt", j.attempt);
        e.put("jobType", j.jobType);
    }

    private RecordRejected rejectedEvent(Job job, SourceMessage.RecordMessage r, Map<String, Object> source,
                                         Map<String, Object> mapped, String key, List<Rejection.Reason> reasons) {
        RecordRejected e = new RecordRejected();
        e.setEventId(dev.syncline.connectors.spi.RandomIds.uuid().toString()); // one per rejected record
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
