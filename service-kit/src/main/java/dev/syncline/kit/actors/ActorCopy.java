package dev.syncline.kit.actors;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A service's own copy of a source or destination, kept from syncline.actors (secrets stay encrypted). Services
 * that need actors set {@code syncline.actor-copy.enabled=true} at build time and add {@code db/actor-copy} to
 * their Flyway locations.
 */
@Entity
@Table(name = "actor_copy")
public class ActorCopy extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(name = "connector_type", nullable = false)
    public String connectorType;

    @Column(nullable = false)
    public String config;

    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public boolean deleted;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
