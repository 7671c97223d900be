package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.events.ClearRequested;
import dev.syncline.events.EventCodec;
import dev.syncline.events.RefreshRequested;
import dev.syncline.events.StreamRef;
import dev.syncline.events.SyncCancelRequested;
import dev.syncline.events.SyncRequested;
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

/**
 * Turns sync commands into jobs ({@link JobRunner} runs them): a sync asked for while one is already waiting is
 * merged into it (queued once, never stacked); clear and refresh are jobs of their own; cancel stops the
 * connection's job, at once when it waits, within seconds when it runs.
 */
@ApplicationScoped
public class SyncCommandsConsumer {
    private static final Logger LOG = Logger.getLogger(SyncCommandsConsumer.class);
    private static final String CONSUMER = "sync-service.sync-commands";

    @Inject
    Inbox inbox;

    @Inject
    Jobs jobs;

    @Inject
    ObjectMapper json;

    @Inject
    JobRunner runner;

    @Incoming("sync-commands")
    public Uni<Void> on(GenericRecord record) {
        // a transaction per event, tried again while the database is away (TransientFailures), never a DLQ for that
        // the runner looks for the job once its transaction committed: woken before, it could look too early and leave
        // "sync now" waiting for the next poll
        return dev.syncline.kit.faults.TransientFailures.applyInTransaction(record, () -> apply(record)).invoke(runner::wake);
    }

    Uni<Void> apply(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case SyncRequested r -> inbox.once(CONSUMER, r, () -> jobs.enqueue(
                    Job.requested(UUID.fromString(r.getConnectionId()), JobType.SYNC, r.getRequestId(), r.getRequestedBy())));
            case ClearRequested r -> inbox.once(CONSUMER, r, () -> {
                Job j = Job.requested(UUID.fromString(r.getConnectionId()), JobType.CLEAR, r.getRequestId(), r.getRequestedBy());
                j.scope = scope(r.getStreams());
                return jobs.enqueue(j);
            });
            case RefreshRequested r -> inbox.once(CONSUMER, r, () -> {
                Job j = Job.requested(UUID.fromString(r.getConnectionId()), JobType.REFRESH, r.getRequestId(), r.getRequestedBy());
                j.scope = scope(r.getStreams());
                j.refreshMode = "remove".equals(r.getMode()) ? "remove" : "retain";
                return jobs.enqueue(j);
            });
            case SyncCancelRequested r -> inbox.once(CONSUMER, r, () -> jobs.cancel(UUID.fromString(r.getConnectionId()),
                    r.getJobId(), r.getRequestedBy()));
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not apply %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private String scope(List<StreamRef> streams) {
        if (streams == null || streams.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(streams.stream().map(s -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("namespace", s.getNamespace());
                m.put("name", s.getName());
                return m;
            }).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
