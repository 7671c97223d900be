package dev.syncline.sync.job;

import dev.syncline.events.SyncCancelled;
import dev.syncline.events.SyncStarted;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job queue, kept in this service's database so that any number of instances share it safely: a job is taken
 * with {@code for update skip locked}, a schedule's fire time becomes at most one job (its request id is unique),
 * and a running job whose instance stopped heart-beating is taken over and resumes from its last checkpoint.
 */
@ApplicationScoped
public class Jobs {
    private static final Logger LOG = Logger.getLogger(Jobs.class);

    /** This process; a job it runs carries it. */
    public static final String INSTANCE = UUID.randomUUID().toString();

    @Inject
    Outbox outbox;

    @Inject
    SyncConfig config;

    /** A sync asked for while another waits is merged into it; clear and refresh are always queued. */
    public Uni<Void> enqueue(Job j) {
        if (j.jobType != JobType.SYNC) {
            return j.persist().replaceWithVoid();
        }
        return Job.count("connectionId = ?1 and jobType = ?2 and status in (?3)", j.connectionId, JobType.SYNC,
                JobStatus.WAITING).chain(waiting -> {
            if (waiting > 0) {
                LOG.infof("sync of %s requested by %s while one waits: merged into it", j.connectionId, j.requestedBy);
                return Uni.createFrom().voidItem();
            }
            return j.persist().replaceWithVoid();
        });
    }

    /**
     * A schedule fired: one job per fire time whatever the number of instances (the request id is unique); merged
     * when a sync already waits. Returns whether a job was made.
     */
    public Uni<Boolean> scheduled(UUID connectionId, Instant fireTime) {
        return Job.count("connectionId = ?1 and jobType = ?2 and status in (?3)", connectionId, JobType.SYNC,
                JobStatus.WAITING).chain(waiting -> waiting > 0 ? Uni.createFrom().item(false)
                : Panache.getSession().chain(s -> s.createNativeQuery("insert into job (connection_id, job_type, status, "
                        + "request_id, requested_by, attempt, created_at, scheduled_for, cancel_requested) values "
                        + "(?1, 'sync', 'pending', ?2, 'schedule', 0, now(), ?3, false) on conflict (request_id) do nothing")
                        .setParameter(1, connectionId)
                        .setParameter(2, "schedule:" + connectionId + ":" + fireTime.toEpochMilli())
                        .setParameter(3, OffsetDateTime.ofInstant(fireTime, java.time.ZoneOffset.UTC))
                        .executeUpdate()).map(n -> n > 0));
    }

    /**
     * A stored schedule that cannot run (saved before today's rules, e.g. a cron expression firing every second): one
     * failed job per version of the connection's configuration, and SyncFailed asking connection-service to pause the
     * connection. Said once and where the user looks, instead of in the log at every tick. The caller holds the
     * connection's row lock, so instances do not race. Returns whether this call made the job.
     */
    public Uni<Boolean> scheduleRefused(dev.syncline.sync.connection.ConnectionCopy c, String why) {
        String requestId = "schedule-refused:" + c.id + ":" + c.version;
        return Job.count("requestId", requestId).chain(made -> {
            if (made > 0) {
                return Uni.createFrom().item(false);
            }
            Job j = Job.requested(c.id, JobType.SYNC, requestId, "schedule");
            j.refuse("the connection's schedule cannot run: " + why + "; change the schedule, then enable the connection");
            c.consecutiveFailures++;
            return j.<Job>persist().chain(() -> {
                var e = dev.syncline.events.SyncFailed.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                        .setConnectionId(c.id.toString()).setJobId(j.id).setAttempt(0).setJobType(j.jobType.wireName())
                        .setMessage(j.failure.message()).setFailureOrigin(j.failure.origin().wireName())
                        .setFailureType(j.failure.type().wireName())
                        .setRetryable(false).setConsecutiveFailures(c.consecutiveFailures).setPauseConnection(true).build();
                LOG.warnf("connection %s: %s", c.id, j.failure.message());
                return outbox.publish(Topics.SYNC_EVENTS, c.id.toString(), e);
            }).replaceWith(true);
        });
    }

    /** Cancel: a waiting job ends at once; a running one is flagged and its runner stops it at its next heartbeat. */
    public Uni<Void> cancel(UUID connectionId, Long jobId, String by) {
        Uni<Job> target = jobId != null
                ? Job.<Job>find("id = ?1 and connectionId = ?2", jobId, connectionId).firstResult()
                : Job.<Job>find("connectionId = ?1 and status in (?2) order by id desc", connectionId,
                        List.of(JobStatus.RUNNING, JobStatus.PENDING, JobStatus.INCOMPLETE)).firstResult();
        return target.chain(j -> {
            if (j == null || j.done()) {
                LOG.infof("cancel of %s by %s: no job to cancel", connectionId, by);
                return Uni.createFrom().voidItem();
            }
            if (j.status == JobStatus.RUNNING) {
                j.cancelRequested = true;
                return Uni.createFrom().voidItem();
            }
            j.cancelWaiting();
            return outbox.publish(Topics.SYNC_EVENTS, connectionId.toString(), cancelled(j, List.of(), 0));
        });
    }

    static SyncCancelled cancelled(Job j, List<dev.syncline.events.StreamStats> streams, long durationMillis) {
        return SyncCancelled.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setConnectionId(j.connectionId.toString()).setJobId(j.id).setAttempt(j.attempt).setJobType(j.jobType.wireName())
                .setStreams(streams).setDurationMillis(durationMillis).build();
    }

    /**
     * The oldest runnable job, now running here, with its SyncStarted when it is its first attempt (in the same
     * transaction: a job is never running without it); null when there is none. Runnable: pending or due for a retry, its
     * connection and actors known, and no other job of its connection running.
     */
    public Uni<Job> claimNext() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "select j.id from job j join connection c on c.id = j.connection_id "
                                + "join actor_copy src on src.id = c.source_id "
                                + "join actor_copy dst on dst.id = c.destination_id "
                                + "where (j.status = 'pending' or (j.status = 'incomplete' and j.next_attempt_at <= now())) "
                                + "and c.has_catalog and not c.deleted "
                                + "and not exists (select 1 from job r where r.connection_id = j.connection_id "
                                + "and r.status = 'running') "
                                + "order by coalesce(j.next_attempt_at, j.created_at), j.id limit 1 for update of j skip locked",
                        Long.class).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().nullItem()
                        : Job.<Job>findById(ids.getFirst()).chain(j -> {
                            j.start();
                            j.runner = INSTANCE;
                            // the job starts once: a retry or a resumed run is the same job going on
                            Uni<Void> started = j.attempt > 1 ? Uni.createFrom().voidItem()
                                    : outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), started(j));
                            return started.chain(() -> Attempt.started(j).persist()).replaceWith(j);
                        }));
    }

    private static SyncStarted started(Job j) {
        return SyncStarted.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setConnectionId(j.connectionId.toString()).setJobId(j.id).setAttempt(j.attempt).setJobType(j.jobType.wireName()).build();
    }

    /** Running jobs whose runner stopped heart-beating (it died): due again at once, resuming from the checkpoint. */
    public Uni<Integer> takeOverStale() {
        OffsetDateTime before = OffsetDateTime.now().minus(config.staleAfter());
        return Job.<Job>list("status = ?1 and heartbeatAt < ?2", JobStatus.RUNNING, before).chain(jobs -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Job j : jobs) {
                all = all.chain(() -> interrupted(j, "the instance running it stopped responding"));
            }
            return all.replaceWith(jobs.size());
        });
    }

    /** This instance stops: its running jobs are due again at once, for another instance or the next start. */
    public Uni<Integer> releaseMine() {
        return Job.<Job>list("status = ?1 and runner = ?2", JobStatus.RUNNING, INSTANCE).chain(jobs -> {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (Job j : jobs) {
                all = all.chain(() -> interrupted(j, "the instance running it stopped"));
            }
            return all.replaceWith(jobs.size());
        });
    }

    private Uni<Void> interrupted(Job j, String why) {
        LOG.warnf("job %d of %s: %s; it resumes from its last checkpoint", j.id, j.connectionId, why);
        j.interrupted();
        return Attempt.<Attempt>findById(new Attempt.Key(j.id, j.attempt)).chain(a -> {
            if (a != null) {
                a.interrupted(why);
            }
            return JobLog.of(j, "WARN", why + "; resuming from the last checkpoint").persist();
        }).replaceWithVoid();
    }
}
