package dev.syncline.schema.discovery;

import dev.syncline.events.CheckRequested;
import dev.syncline.events.EventCodec;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.kit.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Records discovery requests; {@link DiscoveryWorker} runs them. */
@ApplicationScoped
public class SchemaRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(SchemaRequestsConsumer.class);
    private static final String CONSUMER = "schema-service.schema-requests";

    @Inject
    Inbox inbox;

    @Incoming("schema-requests")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SchemaDiscoveryRequested r -> inbox.once(CONSUMER, r, () -> {
                DiscoveryRequest d = new DiscoveryRequest();
                d.requestId = r.getRequestId();
                d.actorId = UUID.fromString(r.getActorId());
                d.connectionId = r.getConnectionId();
                d.status = "pending";
                d.requestedAt = OffsetDateTime.now();
                return d.persist();
            });
            case CheckRequested r -> inbox.once(CONSUMER, r, () -> {
                DiscoveryRequest d = new DiscoveryRequest();
                d.requestId = r.getRequestId();
                d.actorId = UUID.fromString(r.getActorId());
                d.kind = "check";
                d.status = "pending";
                d.requestedAt = OffsetDateTime.now();
                return d.persist();
            });
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }
}
