package dev.syncline.rejects.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.events.EventCodec;
import dev.syncline.events.RecordRejected;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Stores every RecordRejected once, however often Kafka delivers it. */
@ApplicationScoped
public class RejectedRecordsConsumer {
    private static final Logger LOG = Logger.getLogger(RejectedRecordsConsumer.class);

    @Inject
    ObjectMapper json;

    @Incoming("rejected")
    @WithTransaction
    public Uni<Void> on(GenericRecord record) {
        Uni<Void> work = switch (EventCodec.toSpecific(record)) {
            case RecordRejected r -> store(r);
            default -> Uni.createFrom().voidItem();
        };
        return work.onFailure().invoke(t -> LOG.errorf(t, "could not store %s: it goes to the dead-letter topic",
                record.getSchema().getName()));
    }

    private Uni<Void> store(RecordRejected r) {
        String reasons;
        try {
            reasons = json.writeValueAsString(r.getReasons().stream().map(f -> Map.of(
                    "field", f.getField() == null ? "" : f.getField(), "code", f.getCode(), "message", f.getMessage()))
                    .toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "insert into rejected_record (event_id, connection_id, job_id, attempt, stream_namespace, stream, "
                                + "destination_object, insertion_method, record, mapped_payload, reasons, status, rejected_at) "
                                + "values (:eventId, cast(:connectionId as uuid), :jobId, :attempt, :ns, :stream, :object, "
                                + ":method, :record, :mapped, :reasons, 'open', :rejectedAt) on conflict (event_id) do nothing")
                .setParameter("eventId", r.getEventId())
                .setParameter("connectionId", r.getConnectionId())
                .setParameter("jobId", r.getJobId())
                .setParameter("attempt", r.getAttempt())
                .setParameter("ns", r.getStreamNamespace())
                .setParameter("stream", r.getStream())
                .setParameter("object", r.getDestinationObject())
                .setParameter("method", r.getInsertionMethod())
                .setParameter("record", r.getRecord())
                .setParameter("mapped", r.getMappedPayload())
                .setParameter("reasons", reasons)
                .setParameter("rejectedAt", r.getOccurredAt().atOffset(ZoneOffset.UTC))
                .executeUpdate()).replaceWithVoid();
    }

}
