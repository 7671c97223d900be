package dev.syncline.sync.job;

import dev.syncline.events.EventCodec;
import dev.syncline.events.SyncRequested;
import dev.syncline.kit.inbox.Inbox;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Turns sync commands into pending jobs; {@link JobRunner} runs them. */
@ApplicationScoped
public class SyncCommandsConsumer {
    private static final Logger LOG = Logger.getLogger(SyncCommandsConsumer.class);
    private static final String CONSUMER = "sync-service.sync-commands";

    @Inject
    Inbox inbox;

    @Incoming("sync-commands")
    @WithTransaction
    public Uni<Void> on(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SyncRequested r -> inbox.once(CONSUMER, r, () -> Job.requested(UUID.fromString(r.getConnectionId()),
                    r.getRequestId(), r.getRequestedBy()).persist());
            default -> Uni.createFrom().voidItem(); // clear, refresh, cancel: later
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }
}
