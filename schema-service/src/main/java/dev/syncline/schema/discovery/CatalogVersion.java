package dev.syncline.schema.discovery;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.UUID;

/** One distinct catalog of an actor. */
@Entity
@Table(name = "catalog_version")
@IdClass(CatalogVersion.Key.class)
public class CatalogVersion extends PanacheEntityBase {
    @Id
    @Column(name = "actor_id")
    public UUID actorId;

    @Id
    public long version;

    @Column(nullable = false)
    public String hash;

    /** JSON of the connectors' Catalog. */
    @Column(nullable = false)
    public String catalog;

    @Column(name = "discovered_at", nullable = false)
    public OffsetDateTime discoveredAt;

    /** Composite key. */
    public static class Key implements Serializable {
        public UUID actorId;
        public long version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(actorId, k.actorId) && version == k.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(actorId, version);
        }
    }
}
