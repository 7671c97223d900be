package dev.syncline.connection.connections;

import dev.syncline.connection.timeline.TimelineEvent;
import dev.syncline.events.ConnectionStateChanged;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/**
 * A connection's moves between statuses as use cases: the aggregate decides the move ({@link Connection#pause}, …);
 * here its event is published and the timeline notes it, in the same transaction.
 */
@ApplicationScoped
public class ConnectionLifecycle {
    @jakarta.inject.Inject
    dev.syncline.connection.notify.Alerts alerts;

    @Inject
    Outbox outbox;

    @Inject
    DestinationTables tables;

    /** Deleting a connection deprecates it: it stops syncing, its history stays, its tables are free again. */
    public Uni<Void> delete(String id) {
        return Connection.byId(id).chain(c -> {
            var e = c.deprecate();
            return e == null ? Uni.createFrom().voidItem() : published(c, e)
                    .chain(() -> tables.release(c.id))
                    .chain(() -> {
                        dev.syncline.events.ConnectionDeleted d = new dev.syncline.events.ConnectionDeleted();
                        d.setEventId(UUID.randomUUID().toString());
                        d.setOccurredAt(java.time.Instant.now());
                        d.setConnectionId(c.id.toString());
                        return outbox.publish(Topics.CONNECTIONS, c.id.toString(), d);
                    });
        });
    }

    /** Pauses a connection for a reason (breaking schema change, repeated failures): the system's own move. */
    public Uni<Void> pause(Connection c, String reason) {
        var e = c.pause(reason);
        return e == null ? Uni.createFrom().voidItem() : published(c, e);
    }

    /** Publishes a state change the aggregate made and notes it in the timeline; nothing for null (no change). */
    Uni<Void> published(Connection c, ConnectionStateChanged e) {
        if (e == null) {
            return Uni.createFrom().voidItem();
        }
        String summary = ConnectionStatus.fromWire(e.getToState()).orElseThrow().timelineSummary(e.getReason());
        return outbox.publish(Topics.CONNECTIONS, c.id.toString(), e)
                .chain(() -> TimelineEvent.of(c.id, "state_changed", e.getActor(), summary, Connection.write(Map.of(
                        "from", e.getFromState(), "to", e.getToState(), "reason", String.valueOf(e.getReason())))).persist())
                .chain(() -> ConnectionStatus.PAUSED.wireName().equals(e.getToState())
                        ? alerts.paused(c.id, String.valueOf(e.getReason())) : Uni.createFrom().voidItem())
                .replaceWithVoid();
    }
}
