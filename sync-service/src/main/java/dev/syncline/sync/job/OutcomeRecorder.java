package dev.syncline.sync.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncProgress;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Records an attempt's counts and how it ended, each in one transaction with its event: progress while it runs, then
 * succeeded, cancelled, or failed — retried after a backoff or failing the job ({@link RetryPolicy}).
 */
@ApplicationScoped
public class OutcomeRecorder {
    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    SyncConfig config;

    /**
     * The counts so far, in one transaction: a SyncProgress event, and the running attempt's row (which the job API adds
     * to the counts of the attempts before it, so a running job's counts grow while it runs).
     */
    void progress(Job job, SyncStats stats, long startNanos) throws Throwable {
        SyncProgress e = new SyncProgress();
        fill(e, job);
        e.setStreams(stats.toAvro());
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        e.setRecordsPerSecond(stats.recordsRead() / seconds);
        String statsJson = json.writeValueAsString(stats.perStream());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.publish(Topics.SYNC_EVENTS,
                job.connectionId.toString(), e).chain(() -> Attempt.<Attempt>findById(new Attempt.Key(job.id, job.attempt)))
                .invoke(a -> a.progress(stats, statsJson))));
    }

    void cancelled(Job job, SyncStats stats, long durationMillis) throws Throwable {
        String statsJson = json.writeValueAsString(stats.perStream());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id).chain(j -> {
            j.addAttempt(stats);
            j.cancel(statsJson);
            return Attempt.<Attempt>findById(new Attempt.Key(j.id, j.attempt))
                    .invoke(a -> a.end(AttemptStatus.CANCELLED, stats, statsJson, null))
                    .chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(),
                            Jobs.cancelled(j, stats.toAvro(), durationMillis)));
        }).call(() -> runLogged(job))));
    }

    /** The job's row of the connection's sync log (sync_runs) is written again once the attempt's end is stored. */
    private static Uni<Integer> runLogged(Job job) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into sync_log_batch (connection_id, job_id, "
                        + "attempt, kind, entries) select ?1, ?2, ?3, 'run', 0 where exists (select 1 from sync_log_settings "
                        + "where connection_id = ?1)")
                .setParameter(1, job.connectionId).setParameter(2, job.id).setParameter(3, job.attempt).executeUpdate());
    }

    /** The attempt succeeded ({@code failure} null) or failed. */
    void finished(Job job, SyncStats stats, long durationMillis, AttemptFailure failure) throws Throwable {
        RetryPolicy policy = RetryPolicy.of(config);
        String statsJson = json.writeValueAsString(stats.perStream());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id)
                .chain(j -> ConnectionCopy.<ConnectionCopy>findById(j.connectionId).chain(c -> {
                    j.addAttempt(stats);
                    Uni<Attempt> attempt = Attempt.<Attempt>findById(new Attempt.Key(j.id, j.attempt))
                            .invoke(a -> a.end(failure == null ? AttemptStatus.SUCCEEDED : AttemptStatus.FAILED, stats, statsJson, failure));
                    if (failure == null) {
                        j.succeed(j.streamStatsMerged(statsJson));
                        c.consecutiveFailures = 0;
                        SyncSucceeded e = new SyncSucceeded();
                        fill(e, j);
                        e.setStreams(stats.toAvro());
                        e.setDurationMillis(durationMillis);
                        return attempt.chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), e));
                    }
                    Duration retryIn = policy.retryIn(failure, j.attempt, j.cancelRequested);
                    j.fail(j.streamStatsMerged(statsJson), failure, retryIn);
                    if (retryIn != null) {
                        return attempt.chain(() -> JobLog.of(j, "INFO", "attempt " + j.attempt + " failed; attempt "
                                + (j.attempt + 1) + " in " + retryIn.toSeconds() + " s").persist()).replaceWithVoid();
                    }
                    c.consecutiveFailures++;
                    SyncFailed e = new SyncFailed();
                    fill(e, j);
                    e.setStreams(stats.toAvro());
                    e.setMessage(failure.message());
                    e.setFailureOrigin(failure.origin().wireName());
                    e.setFailureType(failure.type().wireName());
                    e.setRetryable(failure.retryable());
                    e.setStream(failure.stream());
                    e.setDurationMillis(durationMillis);
                    e.setConsecutiveFailures(c.consecutiveFailures);
                    e.setPauseConnection(policy.pauses(c.consecutiveFailures));
                    return attempt.chain(() -> outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), e));
                })).call(() -> runLogged(job))));
    }

    /** The fields every job event shares. */
    private static void fill(SpecificRecordBase e, Job j) {
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now());
        e.put("connectionId", j.connectionId.toString());
        e.put("jobId", j.id);
        e.put("attempt", j.attempt);
        e.put("jobType", j.jobType.wireName());
    }
}
