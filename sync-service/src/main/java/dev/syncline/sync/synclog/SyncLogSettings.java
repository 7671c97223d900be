package dev.syncline.sync.synclog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A connection's sync log: the database it is written to, and how many days it keeps. None: the connection keeps none. */
@Entity
@Table(name = "sync_log_settings")
public class SyncLogSettings extends PanacheEntityBase {
    @Id
    @Column(name = "connection_id")
    public UUID connectionId;

    @Column(name = "destination_id", nullable = false)
    public UUID destinationId;

    @Column(name = "retention_days", nullable = false)
    public int retentionDays;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
