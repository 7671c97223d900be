package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One sync, clear or refresh of a connection ({@link JobType}), going through its {@link JobStatus}es: pending until
 * a runner takes it; running while an attempt runs; incomplete when an attempt failed and a retry is due at
 * {@link #nextAttemptAt}; then succeeded, failed or cancelled. Its transitions are its own methods.
 */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Column(name = "job_type", nullable = false)
    public JobType jobType;

    @Column(nullable = false)
    public JobStatus status;

    @Column(name = "request_id", nullable = false)
    public String requestId;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    /** How many attempts have started. */
    @Column(nullable = false)
    public int attempt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    /** The counts of all its attempts but a running one. */
    @Embedded
    public Counts counts = new Counts();

    /** Why its last attempt failed; null when it did not. */
    @Embedded
    public AttemptFailure failure;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    /** Refreshed by the instance running the job; a running job whose heartbeat stops is taken over. */
    @Column(name = "heartbeat_at")
    public OffsetDateTime heartbeatAt;

    /** The instance running it. */
    @Column
    public String runner;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    /** The schedule's fire time this job is for (null: asked for). */
    @Column(name = "scheduled_for")
    public OffsetDateTime scheduledFor;

    /** Refresh: remove or retain the records already in the destination. */
    @Column(name = "refresh_mode")
    public String refreshMode;

    /** Clear or refresh of some streams: JSON list of {"namespace","name"}; null means every stream. */
    @Column
    public String scope;

    static Job requested(UUID connectionId, JobType jobType, String requestId, String requestedBy) {
        Job j = new Job();
        j.connectionId = connectionId;
        j.jobType = jobType;
        j.status = JobStatus.PENDING;
        j.requestId = requestId;
        j.requestedBy = requestedBy;
        j.createdAt = OffsetDateTime.now();
        return j;
    }

    boolean done() {
        return status.done();
    }

    void start() {
        if (!status.waiting()) {
            throw new IllegalStateException("job " + id + " is " + status.wireName() + ", not pending");
        }
        status = JobStatus.RUNNING;
        attempt++;
        if (startedAt == null) {
            startedAt = OffsetDateTime.now();
        }
        heartbeatAt = OffsetDateTime.now();
        nextAttemptAt = null;
    }

    void succeed(String statsJson) {
        end(JobStatus.SUCCEEDED, statsJson);
        failure = null;
    }

    void cancel(String statsJson) {
        end(JobStatus.CANCELLED, statsJson);
    }

    /** A job that waits (for its first attempt or a retry) is cancelled at once. */
    void cancelWaiting() {
        if (!status.waiting()) {
            throw new IllegalStateException("job " + id + " is " + status.wireName() + ", not waiting");
        }
        status = JobStatus.CANCELLED;
        endedAt = OffsetDateTime.now();
        nextAttemptAt = null;
    }

    /** A failed attempt: the job waits for its retry, or fails when none is due. */
    void fail(String statsJson, AttemptFailure f, Duration retryIn) {
        end(retryIn == null ? JobStatus.FAILED : JobStatus.INCOMPLETE, statsJson);
        if (retryIn != null) {
            endedAt = null;
            nextAttemptAt = OffsetDateTime.now().plus(retryIn);
        }
        failure = f;
    }

    /** A job refused before any attempt (its connection's settings cannot run): failed, not retryable. */
    void refuse(String message) {
        status = JobStatus.FAILED;
        startedAt = createdAt;
        endedAt = createdAt;
        failure = new AttemptFailure(message, FailureOrigin.PLATFORM, FailureType.CONFIG_ERROR, false, null);
    }

    /** The instance running it stopped: due again at once, resuming from its last checkpoint. */
    void interrupted() {
        status = JobStatus.INCOMPLETE;
        nextAttemptAt = OffsetDateTime.now();
        heartbeatAt = null;
        runner = null;
    }

    /** A job's counts are those of all its attempts. */
    void addAttempt(SyncStats stats) {
        counts.add(stats);
    }

    /** The per-stream counts of all attempts so far plus this one's (JSON lists of {@link SyncStats.Stream}). */
    String streamStatsMerged(String attemptJson) {
        return SyncStats.merge(counts.streamStats, attemptJson);
    }

    private void end(JobStatus status, String statsJson) {
        if (this.status != JobStatus.RUNNING) {
            throw new IllegalStateException("job " + id + " is " + this.status.wireName() + ", not running");
        }
        this.status = status;
        endedAt = OffsetDateTime.now();
        heartbeatAt = null;
        runner = null;
        counts.streamStats = statsJson;
    }
}
