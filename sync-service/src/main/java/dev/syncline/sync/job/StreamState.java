package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The last state of a stream the destination acknowledged; the next attempt or sync reads on from it. */
@Entity
@Table(name = "stream_state")
@IdClass(StreamState.Key.class)
public class StreamState extends PanacheEntityBase {
    /** The composite key. */
    public record Key(UUID connectionId, String stream) implements Serializable { }

    @Id
    @Column(name = "connection_id")
    public UUID connectionId;

    /** The stream's qualified name (namespace.name, or name). */
    @Id
    public String stream;

    @Column(nullable = false)
    public String state;

    @Column(name = "job_id", nullable = false)
    public long jobId;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
