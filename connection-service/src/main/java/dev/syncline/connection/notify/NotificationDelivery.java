package dev.syncline.connection.notify;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One notification to one rule's webhook, and what became of it. */
@Entity
@Table(name = "notification_delivery")
public class NotificationDelivery extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "rule_id", nullable = false)
    public UUID ruleId;

    @Column(name = "connection_id")
    public UUID connectionId;

    /** An {@link AlertEvent}'s wire name, or {@code test}. */
    @Column(nullable = false)
    public String event;

    @Column(nullable = false)
    public String summary;

    /** The event as JSON (no secret in it): the body of a json webhook. */
    @Column(nullable = false)
    public String payload;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;

    @Column(nullable = false)
    public boolean test;
}
