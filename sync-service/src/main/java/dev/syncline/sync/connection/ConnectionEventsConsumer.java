package dev.syncline.sync.connection;

import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.ConnectionDeleted;
import dev.syncline.events.ConnectionStateChanged;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.EventCodec;
import dev.syncline.kit.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Keeps {@link ConnectionCopy} from syncline.connections: every event carries the whole configuration. */
@ApplicationScoped
public class ConnectionEventsConsumer {
    private static final Logger LOG = Logger.getLogger(ConnectionEventsConsumer.class);
    private static final String CONSUMER = "sync-service.connections";

    @Inject
    Inbox inbox;

    @Incoming("connections")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case ConnectionCreated c -> inbox.once(CONSUMER, c, () -> upsert(c.getConnectionId(), c.getConfiguration()));
            case ConnectionUpdated u -> inbox.once(CONSUMER, u, () -> upsert(u.getConnectionId(), u.getConfiguration()));
            case ConnectionStateChanged s -> inbox.once(CONSUMER, s, () -> find(s.getConnectionId()).invoke(c -> {
                if (c != null) {
                    c.status = s.getToState();
                    c.statusReason = s.getReason();
                    c.updatedAt = OffsetDateTime.now();
                }
            }));
            case ConnectionDeleted d -> inbox.once(CONSUMER, d, () -> find(d.getConnectionId()).invoke(c -> {
                if (c != null) {
                    c.deleted = true;
                    c.updatedAt = OffsetDateTime.now();
                }
            }));
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    /**
     * The connection's row, locked: a scheduler tick holding it (and about to write when the connection last fired)
     * commits first, and this event then applies to what it wrote.
     */
    private Uni<ConnectionCopy> find(String id) {
        return ConnectionCopy.findById(UUID.fromString(id), jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    private Uni<Void> upsert(String connectionId, ConnectionConfiguration configuration) {
        return find(connectionId).chain(existing -> {
            if (existing != null && existing.version > configuration.getVersion()) {
                return Uni.createFrom().voidItem(); // an older configuration delivered late
            }
            ConnectionCopy c = existing != null ? existing : new ConnectionCopy();
            c.id = UUID.fromString(connectionId);
            c.apply(configuration);
            return existing != null ? Uni.createFrom().voidItem() : c.persist().replaceWithVoid();
        });
    }
}
