package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;

/** One attempt of a job, with its counts and, when it failed, why. */
@Entity
@Table(name = "attempt")
@IdClass(Attempt.Key.class)
public class Attempt extends PanacheEntityBase {
    /** The composite key. */
    public static class Key implements Serializable {
        public Long jobId;
        public Integer number;

        public Key() { }

        public Key(Long jobId, Integer number) {
            this.jobId = jobId;
            this.number = number;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(jobId, k.jobId) && java.util.Objects.equals(number, k.number);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(jobId, number);
        }
    }

    @Id
    @Column(name = "job_id")
    public Long jobId;

    @Id
    public Integer number;

    @Column(nullable = false)
    public String status;

    @Column(name = "started_at", nullable = false)
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

    static Attempt started(Job j) {
        Attempt a = new Attempt();
        a.jobId = j.id;
        a.number = j.attempt;
        a.status = "running";
        a.startedAt = OffsetDateTime.now();
        return a;
    }

    /** The counts of the running attempt so far. */
    void progress(SyncStats stats, String statsJson) {
        if (!"running".equals(status)) {
            return; // ended (or taken over) meanwhile: its counts are final
        }
        count(stats, statsJson);
    }

    void end(String status, SyncStats stats, String statsJson, Job.Failure f) {
        this.status = status;
        endedAt = OffsetDateTime.now();
        count(stats, statsJson);
        if (f != null) {
            failureMessage = f.message();
            failureOrigin = f.origin().wireName();
            failureType = f.type().wireName();
            failureRetryable = f.retryable();
            failureStream = f.stream();
        }
    }

    private void count(SyncStats stats, String statsJson) {
        recordsRead = stats.recordsRead();
        recordsWritten = stats.recordsWritten();
        recordsRejected = stats.recordsRejected();
        bytesRead = stats.bytesRead();
        streamStats = statsJson;
    }
}
