package dev.syncline.connection.actor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.SourceConfigured;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** A source or a destination: a connector type and its config (secret values encrypted). */
@Entity
@Table(name = "actor")
public class Actor extends PanacheEntityBase {
    public static final String SOURCE = "source";
    public static final String DESTINATION = "destination";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String name;

    @Column(name = "connector_type", nullable = false)
    public String connectorType;

    /** JSON; values the connector's spec marks secret are {@code enc:v1:} ciphertext. */
    @Column(nullable = false)
    public String config;

    @Column(nullable = false)
    public long version;

    /** pending, succeeded or failed: the last check. */
    @Column(name = "check_status", nullable = false)
    public String checkStatus = "pending";

    @Column(name = "check_message")
    public String checkMessage;

    @Column(name = "check_request_id")
    public String checkRequestId;

    @Column(name = "checked_at")
    public OffsetDateTime checkedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static Actor create(String kind, String name, String connectorType, ObjectNode encryptedConfig) {
        Actor a = new Actor();
        a.id = UUID.randomUUID();
        a.kind = kind;
        a.name = name;
        a.connectorType = connectorType;
        a.config = encryptedConfig.toString();
        a.version = 1;
        a.createdAt = OffsetDateTime.now();
        a.updatedAt = a.createdAt;
        return a;
    }

    /** A new check is asked for: the previous result no longer says anything. */
    public dev.syncline.events.CheckRequested requestCheck() {
        checkStatus = "pending";
        checkMessage = null;
        checkRequestId = UUID.randomUUID().toString();
        dev.syncline.events.CheckRequested e = new dev.syncline.events.CheckRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(java.time.Instant.now());
        e.setActorId(id.toString());
        e.setRequestId(checkRequestId);
        return e;
    }

    /** The result of the latest check (an older one arriving late is ignored). */
    public void checked(String requestId, boolean succeeded, String message) {
        if (checkRequestId != null && !checkRequestId.equals(requestId)) {
            return;
        }
        checkStatus = succeeded ? "succeeded" : "failed";
        checkMessage = message;
        checkedAt = OffsetDateTime.now();
    }

    /** New name and config (secrets already encrypted): the version goes up. */
    public void change(String newName, ObjectNode encryptedConfig) {
        if (newName != null) {
            name = newName;
        }
        if (encryptedConfig != null) {
            config = encryptedConfig.toString();
        }
        version++;
        updatedAt = OffsetDateTime.now();
    }

    public boolean isSource() {
        return SOURCE.equals(kind);
    }

    /** {@code SourceConfigured} or {@code DestinationConfigured}: the whole actor, secrets still encrypted. */
    public SpecificRecord configuredEvent() {
        String eventId = UUID.randomUUID().toString();
        java.time.Instant now = java.time.Instant.now();
        if (isSource()) {
            SourceConfigured e = new SourceConfigured();
            e.setEventId(eventId);
            e.setOccurredAt(now);
            e.setActorId(id.toString());
            e.setName(name);
            e.setConnectorType(connectorType);
            e.setConfig(config);
            e.setVersion(version);
            return e;
        }
        DestinationConfigured e = new DestinationConfigured();
        e.setEventId(eventId);
        e.setOccurredAt(now);
        e.setActorId(id.toString());
        e.setName(name);
        e.setConnectorType(connectorType);
        e.setConfig(config);
        e.setVersion(version);
        return e;
    }
}
