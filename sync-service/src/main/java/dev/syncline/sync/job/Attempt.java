package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
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
    public record Key(Long jobId, Integer number) implements Serializable { }

    @Id
    @Column(name = "job_id")
    public Long jobId;

    @Id
    public Integer number;

    @Column(nullable = false)
    public AttemptStatus status;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    @Embedded
    public Counts counts = new Counts();

    /** Why it failed; null when it did not. */
    @Embedded
    public AttemptFailure failure;

    static Attempt started(Job j) {
        Attempt a = new Attempt();
        a.jobId = j.id;
        a.number = j.attempt;
        a.status = AttemptStatus.RUNNING;
        a.startedAt = OffsetDateTime.now();
        return a;
    }

    boolean running() {
        return status == AttemptStatus.RUNNING;
    }

    /** The counts of the running attempt so far. */
    void progress(SyncStats stats, String statsJson) {
        if (!running()) {
            return; // ended (or taken over) meanwhile: its counts are final
        }
        counts.set(stats, statsJson);
    }

    void end(AttemptStatus status, SyncStats stats, String statsJson, AttemptFailure f) {
        this.status = status;
        endedAt = OffsetDateTime.now();
        counts.set(stats, statsJson);
        if (f != null) {
            failure = f;
        }
    }

    /** Its instance stopped while it ran: failed, retryable (its job resumes from the last checkpoint). */
    void interrupted(String why) {
        if (running()) {
            status = AttemptStatus.FAILED;
            endedAt = OffsetDateTime.now();
            failure = AttemptFailure.interrupted(why);
        }
    }
}
