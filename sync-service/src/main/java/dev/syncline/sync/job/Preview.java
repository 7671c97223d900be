package dev.syncline.sync.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.activation.RecordMapper;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.KeyLookup;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.kit.actors.ActorCopy;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A dry run of a data activation connection's next sync: the source read as the next sync would read it (from the
 * saved state), each record mapped and checked as a sync does, and, where the destination can tell
 * ({@link DestinationConnector#keyLookup}), its matching key looked up, to say which records would be inserted,
 * updated, deleted or rejected. Nothing is written anywhere: not the destination, not the state, not the rejected
 * records. At most {@code limit} records are read.
 */
@ApplicationScoped
public class Preview {
    static final int SAMPLES = 50;
    private static final int LOOKUP_BATCH = 500;

    @Schema(name = "PreviewSample")
    public record Sample(@Schema(description = "the record's matching key (or source key), as JSON") String key,
                         @Schema(description = "what would be sent to the object") Map<String, Object> payload,
                         @Schema(description = "why it would be refused (rejections)") List<Rejection.Reason> reasons) { }

    @Schema(name = "PreviewStream")
    public record StreamPreview(String stream, String object, String insertionMethod, long recordsRead, long inserts,
                                long updates, @Schema(description = "inserts or updates, where the destination cannot "
                                        + "say which keys it holds") long upserts, long deletes, long rejections,
                                @Schema(description = "whether the destination was asked which keys it holds")
                                boolean keysChecked, List<Sample> insertSamples, List<Sample> updateSamples,
                                List<Sample> upsertSamples, List<Sample> deleteSamples, List<Sample> rejectionSamples) { }

    @Schema(name = "Preview", examples = """
            {"connectionId": "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f", "recordsRead": 10000, "inserts": 9000, "updates": 700,
             "upserts": 0, "deletes": 0, "rejections": 300, "truncated": false, "streams": []}""")
    public record Result(UUID connectionId, long recordsRead, long inserts, long updates, long upserts, long deletes,
                         long rejections, @Schema(description = "the read stopped at the limit") boolean truncated,
                         List<StreamPreview> streams) { }

    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    ObjectMapper json;

    /** On a worker thread: reads, maps and looks up; writes nothing. */
    public Result run(UUID connectionId, long limit) throws Throwable {
        Object[] loaded = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() ->
                ConnectionCopy.<ConnectionCopy>findById(connectionId).chain(c -> {
                    if (c == null || c.deleted) {
                        throw ProblemException.notFound("Connection", connectionId.toString());
                    }
                    return ActorCopy.<ActorCopy>findById(c.sourceId).chain(src -> ActorCopy.<ActorCopy>findById(c.destinationId)
                            .chain(dst -> StreamState.<StreamState>list("connectionId", c.id)
                                    .map(states -> new Object[] {c, src, dst, states})));
                })));
        ConnectionCopy c = (ConnectionCopy) loaded[0];
        ActorCopy src = (ActorCopy) loaded[1];
        ActorCopy dst = (ActorCopy) loaded[2];
        @SuppressWarnings("unchecked")
        List<StreamState> states = (List<StreamState>) loaded[3];
        if (src == null || dst == null) {
            throw ProblemException.conflict("the connection's source or destination has not reached sync-service yet; try again shortly");
        }
        if (c.configuration().getMappings() == null || c.configuration().getMappings().isEmpty()) {
            throw ProblemException.conflict("a dry run is for data activation connections (with mappings); an ELT "
                    + "connection's schema changes are previewed on its Schema tab");
        }
        if (!c.hasCatalog) {
            throw ProblemException.conflict("the source's schema is not discovered yet");
        }
        SourceConnector source = connectors.source(src.connectorType).orElseThrow(() ->
                ProblemException.conflict("no source connector " + src.connectorType));
        DestinationConnector destination = connectors.destination(dst.connectorType).orElseThrow(() ->
                ProblemException.conflict("no destination connector " + dst.connectorType));
        Map<String, JsonNode> saved = new HashMap<>();
        for (StreamState s : states) {
            saved.put(s.stream, json.readTree(s.state));
        }
        Job next = Job.requested(connectionId, JobType.SYNC, "preview", "user");
        AttemptPlan plan = AttemptPlan.of(next, c.configuration(), destination.supportedSyncModes(), saved, UnaryOperator.identity());
        Activation activation = plan.activation();
        ObjectNode dstConfig = secrets.decryptAll((ObjectNode) json.readTree(dst.config));
        Map<String, Tally> tallies = new LinkedHashMap<>();
        try {
            for (Activation.StreamPlan p : activation.plans()) {
                ConfiguredStream target = activation.writeCatalog().streams().stream()
                        .filter(w -> w.stream().qualifiedName().equals(p.stream())).findFirst().orElseThrow();
                KeyLookup lookup = destination.keyLookup(dstConfig, target);
                tallies.put(p.stream(), new Tally(p, lookup));
            }
            long read = 0;
            boolean truncated = false;
            try (MessageReader reader = source.read(secrets.decryptAll((ObjectNode) json.readTree(src.config)), plan.catalog(),
                    plan.readState())) {
                while (reader.hasNext()) {
                    if (!(reader.next() instanceof SourceMessage.RecordMessage r)) {
                        continue;
                    }
                    Tally t = tallies.get(AttemptPlan.qualified(r.namespace(), r.stream()));
                    if (t == null) {
                        continue;
                    }
                    if (read >= limit) {
                        truncated = true;
                        break;
                    }
                    read++;
                    t.add(r.data());
                }
            }
            List<StreamPreview> streams = new ArrayList<>();
            for (Tally t : tallies.values()) {
                t.flush();
                streams.add(t.result());
            }
            return new Result(connectionId, read, streams.stream().mapToLong(StreamPreview::inserts).sum(),
                    streams.stream().mapToLong(StreamPreview::updates).sum(), streams.stream().mapToLong(StreamPreview::upserts).sum(),
                    streams.stream().mapToLong(StreamPreview::deletes).sum(), streams.stream().mapToLong(StreamPreview::rejections).sum(),
                    truncated, streams);
        } catch (ConnectorException e) {
            throw ProblemException.conflict("the dry run could not read the source or ask the destination: " + e.getMessage());
        } finally {
            tallies.values().forEach(Tally::close);
        }
    }

    /** One stream's counts and samples. */
    private final class Tally {
        final Activation.StreamPlan plan;
        KeyLookup lookup;
        long read;
        long inserts;
        long updates;
        long upserts;
        long deletes;
        long rejections;
        final List<Sample> insertSamples = new ArrayList<>();
        final List<Sample> updateSamples = new ArrayList<>();
        final List<Sample> upsertSamples = new ArrayList<>();
        final List<Sample> deleteSamples = new ArrayList<>();
        final List<Sample> rejectionSamples = new ArrayList<>();
        final List<MappedRecord> pending = new ArrayList<>();
        /** The matching keys written earlier in this run: a second record with one updates what the first inserted. */
        final java.util.Set<String> written = new java.util.HashSet<>();
        /** Per other unique key: each value a record of this run claimed, and that record's key. */
        final Map<List<String>, Map<String, String>> claimed = new HashMap<>();

        Tally(Activation.StreamPlan plan, KeyLookup lookup) {
            this.plan = plan;
            this.lookup = lookup;
        }

        void add(Map<String, Object> data) throws ConnectorException {
            read++;
            RecordMapper.Outcome o = plan.mapper().map(data);
            if (!o.valid()) {
                rejections++;
                sample(rejectionSamples, o.payload(), o.reasons());
                return;
            }
            if (plan.method() == InsertionMethod.INSERT && lookup == null) {
                inserts++;
                sample(insertSamples, o.payload(), List.of());
                return;
            }
            pending.add(o.payload());
            if (pending.size() >= LOOKUP_BATCH) {
                flush();
            }
        }

        /** Looks the pending records' keys up, then counts each as its method would go. */
        void flush() throws ConnectorException {
            if (pending.isEmpty()) {
                return;
            }
            Set<Integer> existing = null;
            Map<Integer, Rejection.Reason> collides = new HashMap<>();
            if (lookup != null) {
                List<List<Object>> keys = new ArrayList<>();
                for (MappedRecord r : pending) {
                    keys.add(plan.matchingKey().stream().map(r::get).toList());
                }
                existing = lookup.existing(keys);
                for (List<String> unique : lookup.uniqueKeys()) {
                    uniqueness(unique, keys, collides);
                }
            }
            for (int i = 0; i < pending.size(); i++) {
                MappedRecord r = pending.get(i);
                if (collides.containsKey(i)) {
                    rejections++;
                    sample(rejectionSamples, r, List.of(collides.get(i)));
                    continue;
                }
                if (existing == null) {
                    if (plan.method() == InsertionMethod.SOFT_DELETE) {
                        deletes++;
                        sample(deleteSamples, r, List.of());
                    } else if (plan.method() == InsertionMethod.UPDATE) {
                        updates++;
                        sample(updateSamples, r, List.of());
                    } else {
                        upserts++;
                        sample(upsertSamples, r, List.of());
                    }
                    continue;
                }
                String key = plan.key(r);
                boolean there = existing.contains(i) || (key != null && written.contains(key));
                if (key != null && plan.method() != InsertionMethod.SOFT_DELETE && plan.method() != InsertionMethod.UPDATE) {
                    written.add(key);
                }
                if (plan.method() == InsertionMethod.INSERT && there && !plan.matchingKey().isEmpty()) {
                    rejections++;
                    sample(rejectionSamples, r, List.of(new Rejection.Reason(String.join(",", plan.matchingKey()),
                            Rejection.Code.CONSTRAINT_VIOLATION, plan.object() + " already holds " + key + ": insert "
                            + "refuses it (upsert would update it)")));
                    continue;
                }
                switch (plan.method()) {
                    case UPSERT -> {
                        if (there) {
                            updates++;
                            sample(updateSamples, r, List.of());
                        } else {
                            inserts++;
                            sample(insertSamples, r, List.of());
                        }
                    }
                    case UPDATE, SOFT_DELETE -> {
                        if (there) {
                            if (plan.method() == InsertionMethod.UPDATE) {
                                updates++;
                                sample(updateSamples, r, List.of());
                            } else {
                                deletes++;
                                sample(deleteSamples, r, List.of());
                            }
                        } else {
                            rejections++;
                            sample(rejectionSamples, r, List.of(new Rejection.Reason(String.join(",", plan.matchingKey()),
                                    Rejection.Code.DESTINATION_ERROR, "no row of " + plan.object() + " matches "
                                    + plan.key(r) + " to " + plan.method().wireName())));
                        }
                    }
                    default -> {
                        inserts++;
                        sample(insertSamples, r, List.of());
                    }
                }
            }
            pending.clear();
        }

        /**
         * The records whose {@code unique} values another row holds (in the object, or a record read before in this
         * run), as the table's constraint would refuse them; the others claim their values.
         */
        void uniqueness(List<String> unique, List<List<Object>> keys, Map<Integer, Rejection.Reason> collides)
                throws ConnectorException {
            List<Integer> with = new ArrayList<>();
            List<List<Object>> values = new ArrayList<>();
            List<List<Object>> matching = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                MappedRecord r = pending.get(i);
                List<Object> v = unique.stream().map(r::get).toList();
                if (v.stream().noneMatch(java.util.Objects::isNull) && !collides.containsKey(i)) {
                    with.add(i);
                    values.add(v);
                    matching.add(keys.get(i));
                }
            }
            Set<Integer> taken = lookup.taken(unique, values, matching);
            Map<String, String> seen = claimed.computeIfAbsent(unique, u -> new HashMap<>());
            String field = String.join(",", unique);
            for (int w = 0; w < with.size(); w++) {
                int i = with.get(w);
                String value = values.get(w).size() == 1 ? String.valueOf(values.get(w).getFirst()) : String.valueOf(values.get(w));
                String key = plan.key(pending.get(i));
                String owner = seen.get(value);
                if (taken.contains(w)) {
                    collides.put(i, new Rejection.Reason(field, Rejection.Code.CONSTRAINT_VIOLATION, field + " " + value
                            + " is already used by another row of " + plan.object()));
                } else if (owner != null && !owner.equals(key)) {
                    collides.put(i, new Rejection.Reason(field, Rejection.Code.CONSTRAINT_VIOLATION, field + " " + value
                            + " is also the value of the record " + owner + " read before it in this sync"));
                } else if (owner == null) {
                    seen.put(value, key == null ? "(no key)" : key);
                }
            }
        }

        void sample(List<Sample> to, MappedRecord r, List<Rejection.Reason> reasons) {
            if (to.size() < SAMPLES) {
                to.add(new Sample(plan.key(r), new LinkedHashMap<>(r), reasons));
            }
        }

        StreamPreview result() {
            return new StreamPreview(plan.stream(), plan.object(), plan.method().wireName(), read, inserts, updates, upserts,
                    deletes, rejections, lookup != null, insertSamples, updateSamples, upsertSamples, deleteSamples,
                    rejectionSamples);
        }

        void close() {
            if (lookup != null) {
                lookup.close();
                lookup = null;
            }
        }
    }
}
