package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One structured line of a job's log, per attempt. */
@Entity
@Table(name = "job_log")
public class JobLog extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id", nullable = false)
    public Long jobId;

    @Column(nullable = false)
    public int attempt;

    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(nullable = false)
    public String level;

    @Column(nullable = false)
    public String message;

    static JobLog of(Job j, String level, String message) {
        JobLog l = new JobLog();
        l.jobId = j.id;
        l.attempt = j.attempt;
        l.at = OffsetDateTime.now();
        l.level = level;
        l.message = message;
        return l;
    }
}
