package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One sync (or clear, or refresh) of a connection: pending until a runner takes it, then running, then done. */
@Entity
@Table(name = "job")
public class Job extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

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

    static Job requested(UUID connectionId, String requestId, String requestedBy) {
        Job j = new Job();
        j.connectionId = connectionId;
        j.jobType = "sync";
        j.status = PENDING;
        j.requestId = requestId;
        j.requestedBy = requestedBy;
        j.createdAt = OffsetDateTime.now();
        return j;
    }

    void start() {
        if (!PENDING.equals(status)) {
            throw new IllegalStateException("job " + id + " is " + status + ", not pending");
        }
        status = RUNNING;
        attempt++;
        startedAt = OffsetDateTime.now();
    }

    void succeed(SyncStats stats, String statsJson) {
        end(SUCCEEDED, stats, statsJson);
    }

    void fail(SyncStats stats, String statsJson, String message, String origin, String type) {
        end(FAILED, stats, statsJson);
        failureMessage = message;
        failureOrigin = origin;
        failureType = type;
    }

    private void end(String status, SyncStats stats, String statsJson) {
        if (!RUNNING.equals(this.status)) {
            throw new IllegalStateException("job " + id + " is " + this.status + ", not running");
        }
        this.status = status;
        endedAt = OffsetDateTime.now();
        recordsRead = stats.recordsRead();
        recordsWritten = stats.recordsWritten();
        recordsRejected = stats.recordsRejected();
        bytesRead = stats.bytesRead();
        streamStats = statsJson;
    }
}
