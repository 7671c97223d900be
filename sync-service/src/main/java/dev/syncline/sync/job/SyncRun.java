package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncProgress;
import dev.syncline.events.SyncStarted;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.kit.actors.ActorCopy;
import dev.syncline.kit.catalog.CatalogAvro;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.outbox.OutboxEvent;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The data plane of one job, on one thread: reads the source, writes the destination, turns refusals into
 * RecordRejected events, and records the outcome. Plain blocking connectors; the bookkeeping goes through
 * Hibernate Reactive on the Vert.x context ({@link VertxContextSupport#subscribeAndAwait}).
 */
@ApplicationScoped
public class SyncRun {
    private static final Logger LOG = Logger.getLogger(SyncRun.class);

    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "syncline.sync.rejection-batch", defaultValue = "500")
    int rejectionBatch;

    @ConfigProperty(name = "syncline.sync.progress-interval", defaultValue = "PT5S")
    Duration progressInterval;

    /** Everything a job needs, read once at its start. */
    record Plan(Job job, ConnectionConfiguration configuration, ActorCopy source, ActorCopy destination) { }

    void run(long jobId) throws Throwable {
        Plan plan = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> load(jobId)));
        Job job = plan.job();
        SyncStats stats = new SyncStats();
        List<OutboxEvent> rejections = new ArrayList<>();
        long t0 = System.nanoTime();
        publish(Topics.SYNC_EVENTS, job.connectionId.toString(), started(job));
        String origin = "source";
        try {
            SourceConnector source = connectors.source(plan.source().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no source connector " + plan.source().connectorType));
            DestinationConnector destination = connectors.destination(plan.destination().connectorType).orElseThrow(() ->
                    new ConnectorException(ConnectorException.Type.CONFIG, "no destination connector " + plan.destination().connectorType));
            ConfiguredCatalog catalog = catalog(plan.configuration(), destination.supportedSyncModes());
            catalog.streams().forEach(s -> stats.register(s.stream().namespace(), s.stream().name()));
            WriteListener listener = new WriteListener() {
                @Override
                public void rejected(Rejection r) {
                    stats.rejected(r.record().namespace(), r.record().stream());
                    rejections.add(Outbox.row(Topics.RECORDS_REJECTED, job.connectionId.toString(), rejectedEvent(job, r)));
                }

                @Override
                public void checkpointed(SourceMessage.StateMessage state) {
                    // per-stream state is stored with incremental syncs (sync engine issue); full refresh needs none
                }
            };
            long nextProgress = System.nanoTime() + progressInterval.toNanos();
            origin = "source";
            try (MessageReader reader = source.read(config(plan.source()), catalog, Map.of())) {
                origin = "destination";
                try (RecordWriter writer = destination.open(config(plan.destination()), catalog, listener)) {
                    while (true) {
                        origin = "source";
                        SourceMessage m;
                        try {
                            if (!reader.hasNext()) {
                                break;
                            }
                            m = reader.next();
                        } catch (UncheckedConnectorException e) {
                            throw e.connectorException();
                        }
                        origin = "destination";
                        switch (m) {
                            case SourceMessage.RecordMessage r -> {
                                stats.read(r.namespace(), r.stream(), approximateBytes(r.data()));
                                writer.write(r);
                            }
                            case SourceMessage.StateMessage s -> writer.checkpoint(s);
                            case SourceMessage.LogMessage l -> LOG.debugf("job %d source: %s", job.id, l.message());
                        }
                        if (rejections.size() >= rejectionBatch) {
                            flush(rejections);
                        }
                        if (System.nanoTime() > nextProgress) {
                            publish(Topics.SYNC_EVENTS, job.connectionId.toString(), progress(job, stats, t0));
                            nextProgress = System.nanoTime() + progressInterval.toNanos();
                        }
                    }
                    origin = "destination";
                    writer.complete();
                }
            }
            flush(rejections);
            finish(job, stats, t0, null, null, null);
            LOG.infof("job %d of connection %s succeeded: %d read, %d written, %d rejected in %d ms", job.id,
                    job.connectionId, stats.recordsRead(), stats.recordsWritten(), stats.recordsRejected(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (ConnectorException e) {
            flush(rejections);
            String type = switch (e.type()) {
                case CONFIG -> "config_error";
                case TRANSIENT -> "transient_error";
                case SYSTEM -> "system_error";
            };
            finish(job, stats, t0, e.getMessage(), origin, type);
            LOG.infof("job %d of connection %s failed (%s, %s): %s", job.id, job.connectionId, origin, type, e.getMessage());
        } catch (RuntimeException e) {
            flush(rejections);
            finish(job, stats, t0, "internal error: " + e, "platform", "system_error");
            LOG.errorf(e, "job %d of connection %s failed", job.id, job.connectionId);
        }
    }

    private Uni<Plan> load(long jobId) {
        return Job.<Job>findById(jobId).chain(job -> ConnectionCopy.<ConnectionCopy>findById(job.connectionId)
                .chain(c -> ActorCopy.<ActorCopy>findById(c.sourceId)
                        .chain(src -> ActorCopy.<ActorCopy>findById(c.destinationId)
                                .map(dst -> new Plan(job, c.configuration(), src, dst)))));
    }

    /** The connection's configured streams, named as the destination will name them. */
    static ConfiguredCatalog catalog(ConnectionConfiguration c, Set<DestinationSyncMode> supported) throws ConnectorException {
        List<ConfiguredStream> streams = new ArrayList<>();
        for (var s : c.getConfiguredCatalog().getStreams()) {
            SyncMode mode = SyncMode.fromWireName(s.getSyncMode()).orElseThrow();
            DestinationSyncMode destMode = DestinationSyncMode.fromWireName(s.getDestinationSyncMode()).orElseThrow();
            if (!supported.contains(destMode)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "the destination does not support "
                        + destMode.wireName() + " (stream " + s.getName() + ")");
            }
            List<Field> fields = CatalogAvro.fieldsFromAvro(s.getFields());
            Stream stream = new Stream(s.getNamespace(), s.getName(), fields, Set.of(mode), false, s.getCursorField(),
                    s.getPrimaryKey());
            String name = (c.getPrefix() == null ? "" : c.getPrefix())
                    + (s.getDestinationName() != null ? s.getDestinationName() : s.getName());
            streams.add(new ConfiguredStream(stream, fields, mode, destMode, s.getCursorField(), s.getPrimaryKey(),
                    namespace(c, s.getNamespace()), name));
        }
        return new ConfiguredCatalog(streams);
    }

    /** Destination namespace: the source's, the destination's default (null), or a custom format. */
    static String namespace(ConnectionConfiguration c, String sourceNamespace) {
        return switch (c.getNamespaceDefinition()) {
            case "source" -> sourceNamespace;
            case "custom_format" -> {
                String format = c.getNamespaceFormat();
                if (format == null || format.isBlank()) {
                    yield null;
                }
                yield format.replace("${SOURCE_NAMESPACE}", sourceNamespace == null ? "" : sourceNamespace);
            }
            default -> null;
        };
    }

    private ObjectNode config(ActorCopy actor) throws ConnectorException {
        try {
            return secrets.decryptAll((ObjectNode) json.readTree(actor.config));
        } catch (JsonProcessingException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "stored config of " + actor.id + " is not JSON");
        }
    }

    private static long approximateBytes(Map<String, Object> data) {
        long n = 0;
        for (var e : data.entrySet()) {
            n += e.getKey().length() + 2;
            Object v = e.getValue();
            n += v instanceof String s ? s.length() + 2 : 8;
        }
        return n;
    }

    private void flush(List<OutboxEvent> rows) throws Throwable {
        if (rows.isEmpty()) {
            return;
        }
        Object[] batch = rows.toArray();
        rows.clear();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> s.persistAll(batch))));
    }

    private void publish(String topic, String key, SpecificRecord event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.publish(topic, key, event)));
    }

    private void finish(Job job, SyncStats stats, long t0, String failure, String origin, String type) throws Throwable {
        String statsJson = json.writeValueAsString(stats.perStream());
        long duration = (System.nanoTime() - t0) / 1_000_000;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(job.id).chain(j -> {
            SpecificRecord event;
            if (failure == null) {
                j.succeed(stats, statsJson);
                SyncSucceeded e = new SyncSucceeded();
                fill(e, j);
                e.setStreams(stats.toAvro());
                e.setDurationMillis(duration);
                event = e;
            } else {
                j.fail(stats, statsJson, failure, origin, type);
                SyncFailed e = new SyncFailed();
                fill(e, j);
                e.setStreams(stats.toAvro());
                e.setMessage(failure);
                e.setFailureOrigin(origin);
                e.setFailureType(type);
                e.setRetryable("transient_error".equals(type));
                e.setDurationMillis(duration);
                event = e;
            }
            return outbox.publish(Topics.SYNC_EVENTS, j.connectionId.toString(), event);
        })));
    }

    private static SyncStarted started(Job j) {
        SyncStarted e = new SyncStarted();
        fill(e, j);
        return e;
    }

    private static SyncProgress progress(Job j, SyncStats stats, long t0) {
        SyncProgress e = new SyncProgress();
        fill(e, j);
        e.setStreams(stats.toAvro());
        double seconds = Math.max(0.001, (System.nanoTime() - t0) / 1e9);
        e.setRecordsPerSecond(stats.recordsRead() / seconds);
        return e;
    }

    /** The fields every job event shares. */
    private static void fill(org.apache.avro.specific.SpecificRecordBase e, Job j) {
        e.put("eventId", UUID.randomUUID().toString());
        e.put("occurredAt", Instant.now());
        e.put("connectionId", j.connectionId.toString());
        e.put("jobId", j.id);
        e.put("attempt", j.attempt);
        e.put("jobType", j.jobType);
    }

    private RecordRejected rejectedEvent(Job job, Rejection r) {
        RecordRejected e = new RecordRejected();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(job.connectionId.toString());
        e.setJobId(job.id);
        e.setAttempt(job.attempt);
        e.setStreamNamespace(r.record().namespace());
        e.setStream(r.record().stream());
        try {
            e.setRecord(json.writeValueAsString(r.record().data()));
        } catch (JsonProcessingException ex) {
            e.setRecord(String.valueOf(r.record().data()));
        }
        e.setReasons(r.reasons().stream().map(reason -> {
            FieldReason f = new FieldReason();
            f.setField(reason.field());
            f.setCode(reason.code().name());
            f.setMessage(reason.message());
            return f;
        }).toList());
        return e;
    }
}
