package dev.syncline.connection.schema;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** This service's copy of the latest catalog schema-service discovered for a source. */
@Entity
@Table(name = "source_catalog")
public class SourceCatalog extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String DISCOVERED = "discovered";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "source_id")
    public UUID sourceId;

    /** pending, discovered or failed. */
    @Column(nullable = false)
    public String status;

    /** JSON of the connectors' {@code Catalog}. */
    public String catalog;

    @Column(name = "catalog_version")
    public Long catalogVersion;

    public String message;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static SourceCatalog pending(UUID sourceId) {
        SourceCatalog c = new SourceCatalog();
        c.sourceId = sourceId;
        c.status = PENDING;
        c.updatedAt = OffsetDateTime.now();
        return c;
    }
}
