package dev.syncline.connection.schema;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A schema change waiting for the user's review (policy ignore or disable, or a breaking change). */
@Entity
@Table(name = "schema_change")
public class SchemaChange extends PanacheEntityBase {
    /** Waits for the user's review. */
    public static final String PENDING = "pending";
    /** The user approved it (with every change pending then). */
    public static final String APPROVED = "approved";
    /** A later change of the same source replaced it (that one shows the source as it is). */
    public static final String SUPERSEDED = "superseded";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Column(name = "catalog_version", nullable = false)
    public long catalogVersion;

    /** JSON: streamsAdded, streamsRemoved, fieldChanges. */
    @Column(nullable = false)
    public String diff;

    /** What breaks the connection, when something does. */
    public String breaking;

    /** pending, approved or superseded. */
    @Column(nullable = false)
    public String status;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** A change of a connection's source waiting for review: the diff (JSON) and what breaks, if anything. */
    public static SchemaChange pending(UUID connectionId, long catalogVersion, String diff, String breaking) {
        SchemaChange sc = new SchemaChange();
        sc.connectionId = connectionId;
        sc.catalogVersion = catalogVersion;
        sc.diff = diff;
        sc.breaking = breaking;
        sc.status = PENDING;
        sc.createdAt = OffsetDateTime.now();
        return sc;
    }

    public void approve() {
        status = APPROVED;
    }
}
