package dev.syncline.connection.notify;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Where notifications go and for which events: one connection's, or every connection's ({@code connectionId} null).
 * The URL and the signing secret are kept encrypted; pages and answers show {@link #urlShown} only.
 */
@Entity
@Table(name = "notification_rule")
public class NotificationRule extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "connection_id")
    public UUID connectionId;

    @Column(nullable = false)
    public String name;

    /** Encrypted ({@code enc:v1:}). */
    @Column(nullable = false)
    public String url;

    @Column(name = "url_shown", nullable = false)
    public String urlShown;

    /** json or slack. */
    @Column(nullable = false)
    public String format;

    /** Encrypted HMAC key; null: unsigned. */
    public String secret;

    /** Comma-separated {@link AlertEvent} wire names. */
    @Column(nullable = false)
    public String events;

    @Column(name = "rejected_percent")
    public BigDecimal rejectedPercent;

    /** Made from a connection's {@code notificationWebhook} field, which it follows. */
    @Column(name = "from_connection_field", nullable = false)
    public boolean fromConnectionField;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public List<AlertEvent> eventList() {
        return Arrays.stream(events.split(",")).filter(s -> !s.isBlank()).map(AlertEvent::fromWire).toList();
    }

    public boolean wants(AlertEvent e) {
        return eventList().contains(e);
    }
}
