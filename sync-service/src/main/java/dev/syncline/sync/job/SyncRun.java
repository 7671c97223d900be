package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.PrefetchingReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.kit.actors.ActorCopy;
import dev.syncline.kit.secrets.SecretBox;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One attempt of a job, on one thread, as named stages:
 * <ol>
 *   <li>{@link AttemptScope} is opened first and closed last: the job beats and counts as running only inside it;</li>
 *   <li>{@link AttemptPlan}: the streams, their namespaces and generations, the activation mapping, where each stream
 *       reads on from;</li>
 *   <li>{@link RecordPump}: read → map → write, cancel and progress between messages;</li>
 *   <li>{@link RejectionSink}: rejections, log lines and retry bookkeeping, stored in batches and with each
 *       acknowledged state ({@link AcknowledgementListener});</li>
 *   <li>{@link ActivationRetries}: records rejected before, offered again once the source is read;</li>
 *   <li>{@link AttemptOutcome}: succeeded, cancelled, failed (retried after a backoff, {@link RetryPolicy}) or handed
 *       back when the instance stops, recorded by {@link OutcomeRecorder}.</li>
 * </ol>
 * Plain blocking connectors; the bookkeeping goes through Hibernate Reactive on the Vert.x context
 * ({@link VertxContextSupport#subscribeAndAwait}) or straight on the reactive pool.
 */
@ApplicationScoped
public class SyncRun {
    private static final Logger LOG = Logger.getLogger(SyncRun.class);

    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    ObjectMapper json;

    @Inject
    Heartbeats heartbeats;

    @Inject
    SyncMetrics metrics;

    @Inject
    StreamGenerations generations;

    @Inject
    AttemptStore store;

    @Inject
    OutcomeRecorder outcomes;

    @Inject
    SyncConfig config;

    /** Set when the instance stops: an interrupted attempt is handed back, not recorded as failed. */
    volatile boolean stopping;

    void run(Job claimed) throws Throwable {
        try (AttemptScope scope = AttemptScope.open(claimed.id, heartbeats, metrics, config.progressInterval())) {
            AttemptStore.Inputs in = store.load(claimed.id);
            Job job = in.job();
            RejectionSink sink = new RejectionSink(job, json, config.rejectionBatch(), batch -> store.store(job, batch));
            // the connection's sync log: record operations, decided, to the sink in batches (an ELT job logs none)
            SyncLogTrail trail = in.syncLogs() ? new SyncLogTrail(logJson(), b -> sink.syncLog(List.of(b))) : null;
            scope.onProgress((stats, startNanos) -> outcomes.progress(job, stats, startNanos));
            try {
                attempt(job, in, scope, sink, trail);
            } catch (StageFailure | ConnectorException | RuntimeException e) {
                if (trail != null) { // what the destination flushed before the end is logged: it happened
                    sink.syncLog(trail.drain());
                }
                end(job, AttemptOutcome.of(e, stopping), e, scope, sink);
            }
        }
    }

    private volatile ObjectMapper logJson;

    /** The mapper sync-log lines are written with ({@link SyncLogTrail#mapper}), made once. */
    private ObjectMapper logJson() {
        ObjectMapper m = logJson;
        if (m == null) {
            m = SyncLogTrail.mapper(json);
            logJson = m;
        }
        return m;
    }

    private void attempt(Job job, AttemptStore.Inputs in, AttemptScope scope, RejectionSink sink, SyncLogTrail trail)
            throws Throwable {
        sink.log("INFO", "attempt " + job.attempt + " of " + job.jobType.wireName() + " job " + job.id + " started");
        SourceConnector source;
        DestinationConnector destination;
        AttemptPlan plan;
        try {
            AttemptPlan.checkRunnable(in.connection().status, in.connection().statusReason);
            source = connectors.source(in.source().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no source connector " + in.source().connectorType));
            destination = connectors.destination(in.destination().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no destination connector " + in.destination().connectorType));
            plan = AttemptPlan.of(job, in.configuration(), destination.supportedSyncModes(), in.state(), in.stateJobs(),
                    source.resumesFullRefresh(), catalog -> generations.of(job, catalog));
            java.util.Set<String> canResume = resumable(source, in.source(), plan);
            for (String key : plan.resuming()) {
                if (!canResume.contains(key)) {
                    sink.log("INFO", "stream " + key + " starts over: its rows changed since the failed attempt read them");
                }
            }
            plan = plan.resumingOnly(canResume);
        } catch (ConnectorException e) {
            throw StageFailure.source(null, e);
        }
        SyncStats stats = scope.stats();
        plan.catalog().streams().forEach(s -> stats.register(s.stream().namespace(), s.stream().name()));
        ActivationRetries activation = plan.activation() == null ? null
                : new ActivationRetries(job, plan.activation(), new Retries(), stats, sink, json, trail);
        if (activation != null && ActivationRetries.offersRejectedAgain(job, in.configuration().getRetryRejectedRecords())) {
            activation.waiting(store.waitingRetries(job.connectionId));
        }
        plan.logLines().forEach(line -> sink.log("INFO", line));
        // a failed attempt's resumable work is kept only when a retry of the sync may follow: what stopped it is
        // retryable, it was not cancelled, attempts are left
        java.util.concurrent.atomic.AtomicReference<Throwable> stoppedBy = new java.util.concurrent.atomic.AtomicReference<>();
        AcknowledgementListener listener = new AcknowledgementListener(stats, sink, activation, plan.storeAtOnce(),
                scope::exchanged, () -> job.jobType == JobType.SYNC && !scope.cancelRequested()
                        && job.attempt < config.maxAttempts() && stoppedBy.get() != null
                        && AttemptOutcome.of(stoppedBy.get(), false) instanceof AttemptOutcome.Failed f && f.failure().retryable());
        // the destination opens first: it says which streams it resumes, and the source reads those on from their state
        try (RecordWriter writer = destination.open(config(in.destination()), plan.writeCatalog(), listener);
             MessageReader reader = AttemptPlan.readsSource(job) ? read(source, in.source(), plan, resumed(plan, writer, sink))
                     : null) {
            try {
                if (reader != null) {
                    RecordPump pump = new BoundedPump(job, plan.streamNames(), activation, scope, sink);
                    pump.pump(reader, writer);
                }
                scope.checkCancelled();
                if (activation != null) {
                    activation.offerAgain(writer);
                }
                writer.complete();
            } catch (Throwable t) {
                stoppedBy.set(t); // before the writer closes: it asks whether a retry may follow
                throw t;
            }
        } catch (ConnectorException e) {
            throw StageFailure.destination(null, e);
        }
        if (activation != null) {
            activation.resolved();
            if (trail != null) { // every record's fate is known now
                trail.flushed();
                sink.syncLog(trail.drain());
            }
        }
        sink.store(listener.deferredStates());
        if (job.jobType == JobType.CLEAR) {
            store.clearStates(job, plan.catalog());
        }
        sink.log("INFO", stats.recordsRead() + " records read, " + stats.recordsWritten() + " written, "
                + stats.recordsRejected() + " rejected");
        sink.flush();
        store.requests(job, scope.drainRequests());
        outcomes.finished(job, stats, scope.elapsedMillis(), null);
        LOG.infof("job %d (%s) of connection %s succeeded: %d read, %d written, %d rejected in %d ms", job.id,
                job.jobType.wireName(), job.connectionId, stats.recordsRead(), stats.recordsWritten(), stats.recordsRejected(),
                scope.elapsedMillis());
    }

    /**
     * The streams offered for resuming that the source can read on from: before the destination keeps what the failed
     * attempt wrote, the source checks what was read up to the state is still what a read from the start would give.
     */
    private java.util.Set<String> resumable(SourceConnector source, ActorCopy actor, AttemptPlan plan) throws ConnectorException {
        java.util.Set<String> ok = new java.util.HashSet<>();
        for (dev.syncline.connectors.spi.ConfiguredStream s : plan.catalog().streams()) {
            if (s.resumeState() != null && source.canResume(config(actor), s, s.resumeState())) {
                ok.add(s.stream().qualifiedName());
            }
        }
        return ok;
    }

    /** The streams the destination resumed of those the plan offered, each said in the job's log. */
    private static java.util.Set<String> resumed(AttemptPlan plan, RecordWriter writer, RejectionSink sink) {
        java.util.Set<String> resumed = plan.resuming().isEmpty() ? java.util.Set.of() : writer.resumed();
        for (String key : plan.resuming()) {
            sink.log("INFO", resumed.contains(key)
                    ? "stream " + key + " resumes from the last checkpoint of the failed attempt: " + plan.readState().get(key)
                    : "stream " + key + " starts over: the destination does not hold what the failed attempt wrote up to there");
        }
        return resumed;
    }

    /** The source's messages, through a bounded buffer: the source reads ahead while the destination writes. */
    private MessageReader read(SourceConnector source, ActorCopy actor, AttemptPlan plan, java.util.Set<String> resumed)
            throws StageFailure {
        try {
            return PrefetchingReader.wrap(source.read(config(actor), plan.catalog(), plan.readStateFor(resumed)));
        } catch (ConnectorException e) {
            throw StageFailure.source(null, e);
        }
    }

    /** Records the outcome of an attempt that did not succeed. */
    private void end(Job job, AttemptOutcome outcome, Throwable stoppedBy, AttemptScope scope, RejectionSink sink)
            throws Throwable {
        switch (outcome) {
            case AttemptOutcome.HandedBack h -> LOG.infof("job %d interrupted by shutdown: it is handed back", job.id);
            case AttemptOutcome.Cancelled c -> {
                sink.log("INFO", "cancelled");
                sink.flush();
                store.requests(job, scope.drainRequests());
                outcomes.cancelled(job, scope.stats(), scope.elapsedMillis());
                LOG.infof("job %d of connection %s cancelled", job.id, job.connectionId);
            }
            case AttemptOutcome.Failed f -> {
                sink.log("ERROR", f.logLine());
                sink.flush();
                store.requests(job, scope.drainRequests());
                outcomes.finished(job, scope.stats(), scope.elapsedMillis(), f.failure());
                if (f.internal()) {
                    LOG.errorf(stoppedBy instanceof StageFailure s ? s.getCause() : stoppedBy, "job %d of connection %s failed",
                            job.id, job.connectionId);
                } else {
                    LOG.infof("job %d of connection %s, attempt %d failed (%s, %s): %s", job.id, job.connectionId,
                            job.attempt, f.failure().origin().wireName(), f.failure().type().wireName(), f.failure().message());
                }
            }
        }
    }

    private ObjectNode config(ActorCopy actor) throws ConnectorException {
        try {
            return secrets.decryptAll((ObjectNode) json.readTree(actor.config));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "stored config of " + actor.id + " is not JSON");
        }
    }
}
