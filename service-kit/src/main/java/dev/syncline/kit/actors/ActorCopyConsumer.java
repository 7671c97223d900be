package dev.syncline.kit.actors;

import dev.syncline.events.ActorDeleted;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.EventCodec;
import dev.syncline.events.SourceConfigured;
import dev.syncline.kit.inbox.Inbox;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Keeps {@link ActorCopy} up to date from syncline.actors (latest version wins). */
@ApplicationScoped
@IfBuildProperty(name = "syncline.actor-copy.enabled", stringValue = "true")
public class ActorCopyConsumer {
    private static final Logger LOG = Logger.getLogger(ActorCopyConsumer.class);
    private static final String CONSUMER = "actor-copy";

    @Inject
    Inbox inbox;

    @Incoming("actors")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SourceConfigured s -> inbox.once(CONSUMER, s, () -> upsert(s.getActorId(), "source", s.getName(),
                    s.getConnectorType(), s.getConfig(), s.getVersion()));
            case DestinationConfigured d -> inbox.once(CONSUMER, d, () -> upsert(d.getActorId(), "destination",
                    d.getName(), d.getConnectorType(), d.getConfig(), d.getVersion()));
            case ActorDeleted d -> inbox.once(CONSUMER, d, () -> ActorCopy.<ActorCopy>findById(UUID.fromString(d.getActorId()))
                    .invoke(a -> {
                        if (a != null) {
                            a.deleted = true;
                            a.updatedAt = OffsetDateTime.now();
                        }
                    }));
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private Uni<Void> upsert(String actorId, String kind, String name, String type, String config, long version) {
        UUID id = UUID.fromString(actorId);
        return ActorCopy.<ActorCopy>findById(id).chain(existing -> {
            if (existing != null && existing.version > version) {
                return Uni.createFrom().voidItem(); // an older version delivered late
            }
            ActorCopy a = existing != null ? existing : new ActorCopy();
            a.id = id;
            a.kind = kind;
            a.name = name;
            a.connectorType = type;
            a.config = config;
            a.version = version;
            a.deleted = false;
            a.updatedAt = OffsetDateTime.now();
            return existing != null ? Uni.createFrom().voidItem() : a.persist().replaceWithVoid();
        });
    }
}
