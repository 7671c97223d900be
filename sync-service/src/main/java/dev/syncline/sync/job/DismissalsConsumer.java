package dev.syncline.sync.job;

import dev.syncline.events.EventCodec;
import dev.syncline.events.RejectedRecordsDismissed;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Rejected records the user dismissed in rejects-service are not offered to the destination again. */
@ApplicationScoped
public class DismissalsConsumer {
    private static final Logger LOG = Logger.getLogger(DismissalsConsumer.class);

    @Incoming("rejects-events")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            // deleting is idempotent: a redelivered dismissal changes nothing
            case RejectedRecordsDismissed d when !d.getRecordKeys().isEmpty() -> Panache.getSession().chain(s -> {
                StringBuilder in = new StringBuilder();
                for (int i = 0; i < d.getRecordKeys().size(); i++) {
                    in.append(i == 0 ? "?" : ", ?").append(3 + i);
                }
                var q = s.createNativeQuery("delete from rejected_retry where connection_id = ?1 and stream = ?2 "
                                + "and record_key in (" + in + ")")
                        .setParameter(1, UUID.fromString(d.getConnectionId()))
                        .setParameter(2, dev.syncline.sync.job.AttemptPlan.qualified(d.getStreamNamespace(), d.getStream()));
                for (int i = 0; i < d.getRecordKeys().size(); i++) {
                    q.setParameter(3 + i, d.getRecordKeys().get(i));
                }
                return q.executeUpdate();
            }).replaceWithVoid();
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }
}
