package dev.syncline.sync.connection;

import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.EventCodec;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** This service's copy of a connection, kept from syncline.connections (never read from connection-service). */
@Entity
// each writer updates only the columns it changed: the scheduler's last_scheduled_for, the outcome recorder's failure
// count and the connection events' configuration are written by different transactions, and a whole-row UPDATE from
// one of them, loaded before another committed, would put back the old value (a set-up sync fired twice)
@org.hibernate.annotations.DynamicUpdate
@Table(name = "connection")
public class ConnectionCopy extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "source_id", nullable = false)
    public UUID sourceId;

    @Column(name = "destination_id", nullable = false)
    public UUID destinationId;

    @Column(nullable = false)
    public String status;

    @Column(name = "has_catalog", nullable = false)
    public boolean hasCatalog;

    /** Avro binary of the latest {@link ConnectionConfiguration}. */
    @Column(nullable = false)
    public byte[] configuration;

    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public boolean deleted;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Why the connection is in its status (a pause's reason). */
    @Column(name = "status_reason")
    public String statusReason;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /**
     * The schedule's last fire time a job was made for; for a schedule with a start time that has not fired yet, the
     * latest start time before it was saved (so its first job waits for the next one).
     */
    @Column(name = "last_scheduled_for")
    public OffsetDateTime lastScheduledFor;

    /** Failed jobs in a row (a succeeded one resets it); too many pause the connection. */
    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    public ConnectionConfiguration configuration() {
        return (ConnectionConfiguration) EventCodec.decode(ConnectionConfiguration.class.getName(), configuration);
    }

    public void apply(ConnectionConfiguration c) {
        if (configuration != null && c.getSchedule() != null && c.getSchedule().getBasicStartTime() != null
                && !c.getSchedule().equals(configuration().getSchedule())) {
            lastScheduledFor = null; // a new start time: the next sync waits for it (ScheduleRunner), not a catch-up now
        }
        sourceId = UUID.fromString(c.getSourceId());
        destinationId = UUID.fromString(c.getDestinationId());
        status = c.getStatus();
        hasCatalog = c.getConfiguredCatalog() != null;
        configuration = EventCodec.encode(c);
        version = c.getVersion();
        updatedAt = OffsetDateTime.now();
        if (createdAt == null) {
            createdAt = updatedAt;
        }
    }
}
