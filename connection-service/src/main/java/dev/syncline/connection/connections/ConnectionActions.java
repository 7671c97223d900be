package dev.syncline.connection.connections;

import dev.syncline.connection.streams.StreamConfigurator;
import dev.syncline.connection.timeline.TimelineEvent;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Sync now, cancel, clear and refresh: checked here, carried out by sync-service (one command each). */
@ApplicationScoped
public class ConnectionActions {
    @Inject
    Outbox outbox;

    /** Asks sync-service for a sync now; 409 unless the connection is active and knows its streams. */
    public Uni<String> requestSync(String id) {
        return Connection.byId(id).chain(c -> {
            c.checkSyncAllowed();
            String requestId = UUID.randomUUID().toString();
            return outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(), ConnectionEvents.syncRequested(c, requestId))
                    .replaceWith(requestId);
        });
    }

    /** Cancel, clear or refresh ({@code mode} for refresh only) of every stream, or of the ones named. */
    public Uni<ConnectionDtos.ActionResponse> request(String id, ConnectionAction action,
                                                      List<ConnectionDtos.StreamRef> streams,
                                                      ConnectionAction.RefreshMode mode) {
        return Connection.byId(id).chain(c -> {
            c.checkNotDeleted();
            List<ConnectionDtos.ConfiguredStream> targets = targets(c.streams(), streams, action, mode);
            String requestId = UUID.randomUUID().toString();
            // an action on every stream names none in its command: sync-service takes them all as they are then
            List<ConnectionDtos.ConfiguredStream> named = streams == null ? List.of() : targets;
            org.apache.avro.specific.SpecificRecord event = switch (action) {
                case CANCEL -> ConnectionEvents.cancelRequested(c, requestId);
                case CLEAR -> ConnectionEvents.clearRequested(c, requestId, named);
                case REFRESH -> ConnectionEvents.refreshRequested(c, requestId, named, mode);
            };
            String which = streams == null ? "" : " for " + targets.stream().map(ConnectionDtos.ConfiguredStream::name).toList();
            String summary = switch (action) {
                case CANCEL -> "Cancel requested";
                case CLEAR -> "Clear requested" + which;
                case REFRESH -> "Refresh (" + mode.wireName() + ") requested" + which;
            };
            return outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(), event)
                    .chain(() -> TimelineEvent.of(c.id, "action_requested", "user", summary, null).persist())
                    .replaceWith(new ConnectionDtos.ActionResponse(c.id, action.wireName(), requestId));
        });
    }

    /**
     * The streams an action works on: every configured one when none is named, else the named ones (400 naming each
     * the connection does not sync). 400 when a refresh that retains names a full refresh stream (it has nothing to
     * keep); 409 when an action on streams finds none.
     */
    static List<ConnectionDtos.ConfiguredStream> targets(List<ConnectionDtos.ConfiguredStream> configured,
                                                         List<ConnectionDtos.StreamRef> named, ConnectionAction action,
                                                         ConnectionAction.RefreshMode mode) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<ConnectionDtos.ConfiguredStream> targets = new ArrayList<>();
        if (named == null || named.isEmpty()) {
            targets.addAll(configured);
        } else {
            for (int i = 0; i < named.size(); i++) {
                ConnectionDtos.StreamRef ref = named.get(i);
                String at = "streams[" + i + "]";
                configured.stream().filter(s -> s.name().equals(ref.name()) && Objects.equals(s.namespace(), ref.namespace()))
                        .findFirst().ifPresentOrElse(targets::add, () -> errors.add(new Problem.FieldError(
                                at, "the connection does not sync a stream " + StreamConfigurator.qualified(ref.namespace(), ref.name()))));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        if (action == ConnectionAction.REFRESH && mode == ConnectionAction.RefreshMode.RETAIN) {
            List<String> fullRefresh = targets.stream()
                    .filter(s -> s.syncMode() == SyncMode.FULL_REFRESH).map(ConnectionDtos.ConfiguredStream::name).toList();
            if (!fullRefresh.isEmpty()) {
                throw ProblemException.invalid("mode", "refresh and retain keeps the records already synced, "
                        + "which only incremental streams have; full refresh streams: " + fullRefresh
                        + " (use mode remove, or refresh only incremental streams)");
            }
        }
        if (action.needsStreams() && targets.isEmpty()) {
            throw ProblemException.conflict("the connection has no streams yet");
        }
        return targets;
    }
}
