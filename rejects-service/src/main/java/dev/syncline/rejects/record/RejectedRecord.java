package dev.syncline.rejects.record;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A record a destination refused, kept for review. */
@Entity
@Table(name = "rejected_record")
public class RejectedRecord extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Column(name = "job_id", nullable = false)
    public long jobId;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "stream_namespace")
    public String streamNamespace;

    @Column(nullable = false)
    public String stream;

    @Column(name = "destination_object")
    public String destinationObject;

    @Column(name = "insertion_method")
    public String insertionMethod;

    /** The source record, JSON. */
    @Column(nullable = false)
    public String record;

    @Column(name = "mapped_payload")
    public String mappedPayload;

    /** JSON list of {field, code, message}. */
    @Column(nullable = false)
    public String reasons;

    /** open, retrying, resolved or dismissed. */
    @Column(nullable = false)
    public String status;

    @Column(name = "rejected_at", nullable = false)
    public OffsetDateTime rejectedAt;

    @Column(name = "received_at", nullable = false)
    public OffsetDateTime receivedAt;
}
