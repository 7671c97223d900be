package dev.syncline.connection.timeline;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of a connection's timeline. */
@Entity
@Table(name = "timeline_event")
public class TimelineEvent extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    /**
     * connection_created, settings_updated, state_changed, schema_changed, sync_started, sync_succeeded, sync_failed,
     * sync_cancelled, action_requested.
     */
    @Column(nullable = false)
    public String kind;

    /** user or system. */
    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String summary;

    /** JSON with the particulars (changed fields, counts, reason). */
    public String details;

    public static TimelineEvent of(UUID connectionId, String kind, String actor, String summary, String details) {
        TimelineEvent e = new TimelineEvent();
        e.connectionId = connectionId;
        e.occurredAt = OffsetDateTime.now();
        e.kind = kind;
        e.actor = actor;
        e.summary = summary;
        e.details = details;
        return e;
    }
}
