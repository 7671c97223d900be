package dev.syncline.kit.auth;

import dev.syncline.events.ApiKeyIssued;
import dev.syncline.events.ApiKeyRevoked;
import dev.syncline.events.EventCodec;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps this service's {@link ApiKey} table from syncline.api-keys (services other than connection-service, which
 * issues them; enabled with {@code syncline.api-key-copy.enabled=true} at build time). Applying an event twice has the
 * same effect as once, and a revoked key stays revoked whatever arrives after.
 */
@ApplicationScoped
@IfBuildProperty(name = "syncline.api-key-copy.enabled", stringValue = "true")
public class ApiKeyCopyConsumer {
    private static final Logger LOG = Logger.getLogger(ApiKeyCopyConsumer.class);

    @Incoming("api-keys")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case ApiKeyIssued i -> upsert(i.getKeyId(), i.getName(), i.getPrefix(), i.getKeyHash(), i.getRole(),
                    i.getCreatedAt(), i.getExpiresAt(), null);
            case ApiKeyRevoked r -> upsert(r.getKeyId(), r.getName(), r.getPrefix(), r.getKeyHash(), r.getRole(),
                    r.getCreatedAt(), null, r.getRevokedAt());
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private Uni<Void> upsert(String keyId, String name, String prefix, String hash, String role, Instant createdAt,
                             Instant expiresAt, Instant revokedAt) {
        Role.parse(role); // an unknown role is a bad event: the dead-letter topic, not a key no check understands
        UUID id = UUID.fromString(keyId);
        return ApiKey.<ApiKey>findById(id).chain(existing -> {
            ApiKey k = existing != null ? existing : new ApiKey();
            k.id = id;
            k.name = name;
            k.prefix = prefix;
            k.keyHash = hash;
            k.role = role;
            k.createdAt = at(createdAt);
            if (expiresAt != null) {
                k.expiresAt = at(expiresAt);
            }
            if (revokedAt != null && k.revokedAt == null) {
                k.revokedAt = at(revokedAt);
            }
            return existing != null ? Uni.createFrom().voidItem() : k.persist().replaceWithVoid();
        });
    }

    private static OffsetDateTime at(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
