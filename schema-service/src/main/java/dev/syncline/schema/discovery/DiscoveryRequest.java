package dev.syncline.schema.discovery;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A request to discover an actor's catalog: pending until the actor is known and a worker takes it. */
@Entity
@Table(name = "discovery_request")
public class DiscoveryRequest extends PanacheEntityBase {
    @Id
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "actor_id", nullable = false)
    public UUID actorId;

    @Column(name = "connection_id")
    public String connectionId;

    /** discover or check. */
    @Column(nullable = false)
    public String kind = "discover";

    /** pending, running, succeeded or failed. */
    @Column(nullable = false)
    public String status;

    public String message;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    void finish(String status, String message) {
        this.status = status;
        this.message = message;
        this.finishedAt = OffsetDateTime.now();
    }
}
