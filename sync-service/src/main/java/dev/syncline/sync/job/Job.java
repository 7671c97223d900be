package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One sync, clear or refresh of a connection. pending until a runner takes it; running while an attempt runs;
 * incomplete when an attempt failed and a retry is due at {@link #nextAttemptAt}; then succeeded, failed or
 * cancelled.
 */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String INCOMPLETE = "incomplete";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public static final String SYNC = "sync";
    public static final String CLEAR = "clear";
    public static final String REFRESH = "refresh";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Column(name = "job_type", nullable = false)
    public String jobType;

    @Column(nullable = false)
    public String status;

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

    @Column(name = "records_read", nullable = false)
    public long recordsRead;

    @Column(name = "records_written", nullable = false)
    public long recordsWritten;

    @Column(name = "records_rejected", nullable = false)
    public long recordsRejected;

    @Column(name = "bytes_read", nullable = false)
    public long bytesRead;

    /** JSON list of per-stream counts. */
    @Column(name = "stream_stats")
    public String streamStats;

    @Column(name = "failure_message")
    public String failureMessage;

    @Column(name = "failure_origin")
    public String failureOrigin;

    @Column(name = "failure_type")
    public String failureType;

    @Column(name = "failure_retryable")
    public Boolean failureRetryable;

    @Column(name = "failure_stream")
    public String failureStream;

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

    static Job requested(UUID connectionId, String jobType, String requestId, String requestedBy) {
        Job j = new Job();
        j.connectionId = connectionId;
        j.jobType = jobType;
        j.status = PENDING;
        j.requestId = requestId;
        j.requestedBy = requestedBy;
        j.createdAt = OffsetDateTime.now();
        return j;
    }

    boolean done() {
        return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
    }

    void start() {
        if (!PENDING.equals(status) && !INCOMPLETE.equals(status)) {
            throw new IllegalStateException("job " + id + " is " + status + ", not pending");
        }
        status = RUNNING;
        attempt++;
        if (startedAt == null) {
            startedAt = OffsetDateTime.now();
        }
        heartbeatAt = OffsetDateTime.now();
        nextAttemptAt = null;
    }

    void succeed(String statsJson) {
        end(SUCCEEDED, statsJson);
        clearFailure();
    }

    void cancel(String statsJson) {
        end(CANCELLED, statsJson);
    }

    /** A failed attempt: the job waits for its retry, or fails when none is due. */
    void fail(String statsJson, Failure f, Duration retryIn) {
        end(retryIn == null ? FAILED : INCOMPLETE, statsJson);
        if (retryIn != null) {
            endedAt = null;
            nextAttemptAt = OffsetDateTime.now().plus(retryIn);
        }
        failureMessage = f.message();
        failureOrigin = f.origin().wireName();
        failureType = f.type().wireName();
        failureRetryable = f.retryable();
        failureStream = f.stream();
    }

    /** A job refused before any attempt (its connection's settings cannot run): failed, not retryable. */
    void refuse(String message) {
        status = FAILED;
        startedAt = createdAt;
        endedAt = createdAt;
        failureMessage = message;
        failureOrigin = FailureOrigin.PLATFORM.wireName();
        failureType = FailureType.CONFIG_ERROR.wireName();
        failureRetryable = false;
    }

    /** A job's counts are those of all its attempts. */
    void addAttempt(SyncStats stats) {
        recordsRead += stats.recordsRead();
        recordsWritten += stats.recordsWritten();
        recordsRejected += stats.recordsRejected();
        bytesRead += stats.bytesRead();
    }

    /** The per-stream counts of all attempts so far plus this one's (JSON lists of {@link SyncStats.Stream}). */
    String streamStatsMerged(String attemptJson) {
        return SyncStats.merge(streamStats, attemptJson);
    }

    private void clearFailure() {
        failureMessage = null;
        failureOrigin = null;
        failureType = null;
        failureRetryable = null;
        failureStream = null;
    }

    private void end(String status, String statsJson) {
        if (!RUNNING.equals(this.status)) {
            throw new IllegalStateException("job " + id + " is " + this.status + ", not running");
        }
        this.status = status;
        endedAt = OffsetDateTime.now();
        heartbeatAt = null;
        runner = null;
        streamStats = statsJson;
    }

    /** Why an attempt failed. {@code stream} is the stream being read or written then, when known. */
    public record Failure(String message, FailureOrigin origin, FailureType type, boolean retryable, String stream) { }
}
