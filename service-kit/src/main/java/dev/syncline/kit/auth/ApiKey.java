package dev.syncline.kit.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An API key as every service knows it: its SHA-256, never the key. connection-service issues and revokes keys;
 * the other services keep the same table as a copy, from syncline.api-keys ({@link ApiKeyCopyConsumer}).
 */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String prefix;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    @Column(nullable = false)
    public String role;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    /** active, expired or revoked, now. */
    public String status(OffsetDateTime now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
    }
}
