package dev.syncline.connection.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.events.EventCodec;
import dev.syncline.events.StreamStats;
import dev.syncline.events.SyncCancelled;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncStarted;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.kit.inbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Puts sync results on each connection's timeline (progress events are not kept) and tells its alerts. */
@ApplicationScoped
public class SyncEventsConsumer {
    private static final Logger LOG = Logger.getLogger(SyncEventsConsumer.class);
    private static final String CONSUMER = "connection-service.sync-events";

    @Inject
    Inbox inbox;

    @Inject
    ObjectMapper json;

    @Inject
    dev.syncline.connection.connections.ConnectionLifecycle lifecycle;

    @Inject
    dev.syncline.connection.notify.Alerts alerts;

    @Incoming("sync-events")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record));
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SyncStarted e -> inbox.once(CONSUMER, e, () -> note(e.getConnectionId(), "sync_started",
                    "Sync started (job " + e.getJobId() + ", attempt " + e.getAttempt() + ")", Map.of("jobId", e.getJobId())));
            case SyncSucceeded e -> inbox.once(CONSUMER, e, () -> note(e.getConnectionId(), "sync_succeeded",
                    "Sync succeeded: " + totals(e.getStreams()), details(e.getJobId(), e.getStreams(), null))
                    .chain(() -> alerts.syncSucceeded(UUID.fromString(e.getConnectionId()), e.getJobId(),
                            e.getStreams().stream().mapToLong(StreamStats::getRecordsRead).sum(),
                            e.getStreams().stream().mapToLong(StreamStats::getRecordsRejected).sum())));
            case SyncFailed e -> inbox.once(CONSUMER, e, () -> note(e.getConnectionId(), "sync_failed",
                    "Sync failed (" + e.getFailureOrigin() + "): " + e.getMessage(), details(e.getJobId(), e.getStreams(), e.getMessage()))
                    .chain(() -> alerts.syncFailed(UUID.fromString(e.getConnectionId()), e.getJobId(), e.getMessage(),
                            e.getFailureOrigin()))
                    .chain(() -> !e.getPauseConnection() ? Uni.createFrom().voidItem()
                            : dev.syncline.connection.connections.Connection.byId(e.getConnectionId())
                                    .chain(c -> c.status == dev.syncline.connection.connections.ConnectionStatus.ACTIVE
                                    ? lifecycle.pause(c, e.getConsecutiveFailures() + " syncs failed in a row; the last: "
                                            + e.getMessage())
                                    : Uni.createFrom().voidItem())));
            case SyncCancelled e -> inbox.once(CONSUMER, e, () -> note(e.getConnectionId(), "sync_cancelled",
                    "Sync cancelled", details(e.getJobId(), e.getStreams(), null)));
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private static String totals(List<StreamStats> streams) {
        long read = streams.stream().mapToLong(StreamStats::getRecordsRead).sum();
        long rejected = streams.stream().mapToLong(StreamStats::getRecordsRejected).sum();
        return read + " records read, " + (read - rejected) + " written, " + rejected + " rejected";
    }

    private static Map<String, Object> details(long jobId, List<StreamStats> streams, String message) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jobId", jobId);
        d.put("streams", streams.stream().map(s -> Map.of("stream", s.getStream(), "recordsRead", s.getRecordsRead(),
                "recordsWritten", s.getRecordsWritten(), "recordsRejected", s.getRecordsRejected())).toList());
        if (message != null) {
            d.put("message", message);
        }
        return d;
    }

    private Uni<Void> note(String connectionId, String kind, String summary, Map<String, Object> details) {
        try {
            return TimelineEvent.of(UUID.fromString(connectionId), kind, "system", summary, json.writeValueAsString(details))
                    .persist().replaceWithVoid();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
