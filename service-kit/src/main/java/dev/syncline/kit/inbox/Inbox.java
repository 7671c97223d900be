package dev.syncline.kit.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

/**
 * Makes a consumer idempotent: {@link #once} applies an event only if this consumer has not applied it before,
 * and records it in the same transaction as the effect.
 */
@ApplicationScoped
public class Inbox {
    private static final Logger LOG = Logger.getLogger(Inbox.class);

    /** Runs {@code effect} inside the caller's transaction unless {@code consumer} already applied {@code event}. */
    public Uni<Void> once(String consumer, SpecificRecord event, Supplier<Uni<?>> effect) {
        String eventId = dev.syncline.events.EventCodec.eventId(event);
        return Panache.getSession()
                .chain(s -> s.createNativeQuery("insert into processed_event (consumer, event_id, processed_at) "
                                + "values (:c, :e, now()) on conflict do nothing")
                        .setParameter("c", consumer).setParameter("e", eventId).executeUpdate())
                .chain(inserted -> {
                    if (inserted == 0) {
                        LOG.debugf("%s already applied %s %s", consumer, event.getClass().getSimpleName(), eventId);
                        return Uni.createFrom().voidItem();
                    }
                    return effect.get().replaceWithVoid();
                });
    }
}
