package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncProgress;
import dev.syncline.events.SyncStarted;
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
    ObjectMapper json;

    @Inject
    Heartbeats heartbeats;

    @ConfigProperty(name = "syncline.sync.rejection-batch", defaultValue = "500")
    int rejectionBatch;

    @ConfigProperty(name = "syncline.sync.progress-interval", defaultValue = "PT5S")
    Duration progressInterval;

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

    void run(Job claimed) throws Throwable {
        Plan plan = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> load(claimed.id)));
        Job job = plan.job();
        SyncStats stats = new SyncStats();
        List<OutboxEvent> rejections = new ArrayList<>();
        List<JobLog> logs = new ArrayList<>();
        Map<String, SourceMessage.StateMessage> deferredStates = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        AtomicBoolean cancelled = heartbeats.watch(job.id);
        publish(Topics.SYNC_EVENTS, job.connectionId.toString(), started(job));
        String[] where = {"source", null};
        try {
            logs.add(JobLog.of(job, "INFO", "attempt " + job.attempt + " of " + job.jobType + " job " + job.id + " started"));
            if ("paused".equals(plan.connection().status)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "the connection is paused"
                        + (plan.connection().statusReason == null ? "" : ": " + plan.connection().statusReason));
            }
            SourceConnector source = connectors.source(plan.source().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no source connector " + plan.source().connectorType));
            DestinationConnector destination = connectors.destination(plan.destination().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no destination connector " + plan.destination().connectorType));
            ConfiguredCatalog catalog = jobCatalog(job, catalog(plan.configuration(), destination.supportedSyncModes()));
            catalog.streams().forEach(s -> stats.register(s.stream().namespace(), s.stream().name()));
            Map<String, JsonNode> state = new HashMap<>();
            Set<String> storeAtOnce = new java.util.HashSet<>();
            for (ConfiguredStream s : catalog.streams()) {
                String key = s.stream().qualifiedName();
                if (resumable(job, s)) {
                    storeAtOnce.add(key);
                    JsonNode saved = plan.state().get(key);
                    if (saved != null) {
                        state.put(key, saved);
                        logs.add(JobLog.of(job, "INFO", "stream " + key + " reads on from " + saved));
                    }
                }
            }
            WriteListener listener = new WriteListener() {
                @Override
                public void rejected(Rejection r) {
                    stats.rejected(r.record().namespace(), r.record().stream());
                    rejections.add(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(), rejectedEvent(job, r)));
                }

                @Override
                public void checkpointed(SourceMessage.StateMessage s) {
                    String key = qualified(s.namespace(), s.stream());
                    if (storeAtOnce.contains(key)) {
                        try {
                            storeStates(job, List.of(s), rejections, logs);
                        } catch (Throwable t) {
                            throw new IllegalStateException("could not store the state of " + key + ": " + t.getMessage(), t);
                        }
                    } else {
                        deferredStates.put(key, s);
                    }
                }
            };
            long nextProgress = System.nanoTime() + progressInterval.toNanos();
            try (MessageReader reader = Job.CLEAR.equals(job.jobType) ? null : source.read(config(plan.source()), catalog, state)) {
                where[0] = "destination";
                try (RecordWriter writer = destination.open(config(plan.destination()), catalog, listener)) {
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
                                where[1] = qualified(r.namespace(), r.stream());
                                stats.read(r.namespace(), r.stream(), approximateBytes(r.data()));
                                writer.write(r);
                            }
                            case SourceMessage.StateMessage s -> writer.checkpoint(s);
                            case SourceMessage.LogMessage l -> LOG.debugf("job %d source: %s", job.id, l.message());
                        }
                        if (rejections.size() >= rejectionBatch) {
                            flush(rejections, logs);
                        }
                        if (System.nanoTime() > nextProgress) {
                            publish(Topics.SYNC_EVENTS, job.connectionId.toString(), progress(job, stats, t0));
                            nextProgress = System.nanoTime() + progressInterval.toNanos();
                        }
                    }
                    if (cancelled.get()) {
                        throw new Cancelled();
                    }
                    where[0] = "destination";
                    where[1] = null;
                    writer.complete();
                }
            }
            // states of streams that are only consistent once the whole job is (overwrite, refresh, clear)
            List<SourceMessage.StateMessage> finalStates = new ArrayList<>(deferredStates.values());
            storeStates(job, finalStates, rejections, logs);
            if (Job.CLEAR.equals(job.jobType)) {
                clearStates(job, catalog);
            }
            logs.add(JobLog.of(job, "INFO", stats.recordsRead() + " records read, " + stats.recordsWritten() + " written, "
                    + stats.recordsRejected() + " rejected"));
            flush(rejections, logs);
            finish(job, stats, t0, null);
            LOG.infof("job %d (%s) of connection %s succeeded: %d read, %d written, %d rejected in %d ms", job.id,
                    job.jobType, job.connectionId, stats.recordsRead(), stats.recordsWritten(), stats.recordsRejected(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (Cancelled e) {
            if (stopping) {
                LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
                return;
            }
            logs.add(JobLog.of(job, "INFO", "cancelled"));
            flush(rejections, logs);
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
            logs.add(JobLog.of(job, "ERROR", where[0] + " " + type + ": " + e.getMessage()));
            flush(rejections, logs);
            finish(job, stats, t0, f);
            LOG.infof("job %d of connection %s, attempt %d failed (%s, %s): %s", job.id, job.connectionId, job.attempt,
                    where[0], type, e.getMessage());
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
                return;
            }
            logs.add(JobLog.of(job, "ERROR", "internal error: " + e));
            flush(rejections, logs);
            finish(job, stats, t0, new Job.Failure("internal error: " + e, "platform", "system_error", true, where[1]));
            LOG.errorf(e, "job %d of connection %s failed", job.id, job.connectionId);
        } finally {
            heartbeats.unwatch(job.id);
        }
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
            streams.add(new ConfiguredStream(s.stream(), s.fields(), s.syncMode(), mode, s.cursorField(), s.primaryKey(),
                    s.destinationNamespace(), s.destinationName(), s.insertionMethod(), s.matchingKey()));
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
        for (var e : data.entrySet()) {
            n += e.getKey().length() + 2;
            Object v = e.getValue();
            n += v instanceof String s ? s.length() + 2 : 8;
        }
        return n;
    }

    /** Rejections and log lines so far, in one transaction. */
    private void flush(List<OutboxEvent> rows, List<JobLog> logs) throws Throwable {
        if (rows.isEmpty() && logs.isEmpty()) {
            return;
        }
        List<Object> batch = new ArrayList<>(rows);
        batch.addAll(logs);
        rows.clear();
        logs.clear();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.persistAll(batch.toArray()))));
    }

    /** Stores states with the rejections before them, in one transaction: a restart loses neither. */
    private void storeStates(Job job, List<SourceMessage.StateMessage> states, List<OutboxEvent> rejections,
                             List<JobLog> logs) throws Throwable {
        if (states.isEmpty()) {
            return;
        }
        List<Object> batch = new ArrayList<>(rejections);
        batch.addAll(logs);
        rejections.clear();
        logs.clear();
        List<String[]> rows = new ArrayList<>();
        for (SourceMessage.StateMessage s : states) {
            rows.add(new String[] {qualified(s.namespace(), s.stream()), json.writeValueAsString(s.state())});
        }
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> {
                    Uni<Void> all = session.persistAll(batch.toArray());
                    for (String[] r : rows) {
                        all = all.chain(() -> session.createNativeQuery("insert into stream_state (connection_id, stream, "
                                        + "state, job_id, updated_at) values (?1, ?2, ?3, ?4, now()) on conflict (connection_id, "
                                        + "stream) do update set state = excluded.state, job_id = excluded.job_id, "
                                        + "updated_at = excluded.updated_at")
                                .setParameter(1, job.connectionId).setParameter(2, r[0]).setParameter(3, r[1])
                                .setParameter(4, job.id).executeUpdate().replaceWithVoid());
                    }
                    return all;
                })));
    }

    /** A clear resets the state of the streams it cleared: the next sync reads them from the start. */
    private void clearStates(Job job, ConfiguredCatalog catalog) throws Throwable {
        List<String> keys = catalog.streams().stream().map(s -> s.stream().qualifiedName()).toList();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                StreamState.delete("connectionId = ?1 and stream in (?2)", job.connectionId, keys)));
    }

    private void publish(String topic, String key, SpecificRecord event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.publish(topic, key, event)));
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

    private static SyncStarted started(Job j) {
        SyncStarted e = new SyncStarted();
        fill(e, j);
        return e;
    }

    private static SyncProgress progress(Job j, SyncStats stats, long t0) {
        SyncProgress e = new SyncProgress();
        fill(e, j);
        e.setStreams(stats.toAvro());
        double seconds = Math.max(0.001, (System.nanoTime() - t0) / 1e9);
        e.setRecordsPerSecond(stats.recordsRead() / seconds);
        return e;
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

    private RecordRejected rejectedEvent(Job job, Rejection r) {
        RecordRejected e = new RecordRejected();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(job.connectionId.toString());
        e.setJobId(job.id);
        e.setAttempt(job.attempt);
        e.setStreamNamespace(r.record().namespace());
        e.setStream(r.record().stream());
        try {
            e.setRecord(json.writeValueAsString(r.record().data()));
        } catch (JsonProcessingException ex) {
            e.setRecord(String.valueOf(r.record().data()));
        }
        e.setReasons(r.reasons().stream().map(reason -> {
            FieldReason f = new FieldReason();
            f.setField(reason.field());
            f.setCode(reason.code().name());
            f.setMessage(reason.message());
            return f;
        }).toList());
        return e;
    }
}
