package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.kit.catalog.CatalogAvro;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What an attempt will do, decided before it reads a record and without touching a server: the streams it covers as
 * the destination names them (namespace, prefix, generation), the activation mapping when the connection has one,
 * where each stream reads on from, and which states are stored at each checkpoint (resumable streams) rather than
 * once the whole job is consistent.
 *
 * @param catalog      the job's streams, as the source reads them
 * @param activation   the data activation mapping, null for an ELT connection
 * @param readState    the saved states the source reads on from, by state key
 * @param storeAtOnce  the state keys stored at each checkpoint; any other is stored once the job completes
 * @param logLines     what the job log says about where the streams read on from
 * @param resuming     the full refresh | overwrite streams a retry offers to resume ({@link ConfiguredStream#resumeState()}):
 *                     each reads on from its state only if the destination resumed it ({@link #readStateFor})
 */
record AttemptPlan(ConfiguredCatalog catalog, Activation activation, Map<String, JsonNode> readState,
                   Set<String> storeAtOnce, List<String> logLines, Set<String> resuming) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The streams of the catalog by qualified name: a record of any other fails the attempt. */
    Set<String> streamNames() {
        Set<String> names = new HashSet<>();
        catalog.streams().forEach(s -> names.add(s.stream().qualifiedName()));
        return names;
    }

    /** What the destination is opened with: the objects an activation writes, else the streams themselves. */
    ConfiguredCatalog writeCatalog() {
        return activation == null ? catalog : activation.writeCatalog();
    }

    /** A clear reads nothing: it writes every stream of its scope empty. */
    static boolean readsSource(Job job) {
        return job.jobType != JobType.CLEAR;
    }

    /** A paused connection runs no attempt: its settings are what is wrong. */
    static void checkRunnable(String connectionStatus, String statusReason) throws ConnectorException {
        if ("paused".equals(connectionStatus)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "the connection is paused"
                    + (statusReason == null ? "" : ": " + statusReason));
        }
    }

    /**
     * The plan of {@code job} on a connection configured as {@code c}, for a destination supporting {@code supported};
     * {@code saved} are the states stored so far, {@code generations} gives each stream its generation.
     */
    static AttemptPlan of(Job job, ConnectionConfiguration c, Set<DestinationSyncMode> supported, Map<String, JsonNode> saved,
                          UnaryOperator<ConfiguredCatalog> generations) throws ConnectorException {
        return of(job, c, supported, saved, Map.of(), false, generations);
    }

    /**
     * As above; {@code savedBy} gives the job that stored each saved state: when the source {@code resumesFullRefresh},
     * a retry may resume a full refresh | overwrite stream from the last state its own job's earlier attempt stored,
     * never from another job's.
     */
    static AttemptPlan of(Job job, ConnectionConfiguration c, Set<DestinationSyncMode> supported, Map<String, JsonNode> saved,
                          Map<String, Long> savedBy, boolean resumesFullRefresh, UnaryOperator<ConfiguredCatalog> generations)
            throws ConnectorException {
        ConfiguredCatalog catalog = generations.apply(jobCatalog(job, catalog(c, supported)));
        Activation activation = Activation.of(c, catalog);
        Set<String> resuming = new HashSet<>();
        if (activation == null && resumesFullRefresh) {
            List<ConfiguredStream> streams = new ArrayList<>();
            for (ConfiguredStream s : catalog.streams()) {
                String key = s.stream().qualifiedName();
                JsonNode from = saved.get(key);
                if (resumableFullRefresh(job, s) && from != null && !from.isEmpty() && job.id != null
                        && job.id.equals(savedBy.get(key))) {
                    streams.add(s.withResumeState(from));
                    resuming.add(key);
                } else {
                    streams.add(s);
                }
            }
            catalog = new ConfiguredCatalog(streams);
        }
        Map<String, JsonNode> state = new HashMap<>();
        Set<String> storeAtOnce = new HashSet<>();
        List<String> lines = new ArrayList<>();
        if (job.jobType == JobType.SYNC) {
            // the whole source's state (a CDC position shared by every stream): a sync reads on from it, and stores
            // it at each checkpoint (a full refresh stream reads everything whatever it says)
            storeAtOnce.add(SourceMessage.StateMessage.WHOLE_SOURCE);
            JsonNode whole = saved.get(SourceMessage.StateMessage.WHOLE_SOURCE);
            if (whole != null) {
                state.put(SourceMessage.StateMessage.WHOLE_SOURCE, whole);
                lines.add("the source reads on from its saved state");
            }
        }
        for (ConfiguredStream s : catalog.streams()) {
            String key = s.stream().qualifiedName();
            if (resumable(job, s)) {
                storeAtOnce.add(key);
                JsonNode from = saved.get(key);
                if (from != null) {
                    state.put(key, from);
                    lines.add("stream " + key + " reads on from " + from);
                }
            } else if (activation == null && resumesFullRefresh && resumableFullRefresh(job, s)) {
                // stored at each checkpoint, with this job's id: a retry of the job may resume from it
                storeAtOnce.add(key);
                if (resuming.contains(key)) {
                    state.put(key, saved.get(key));
                }
            }
        }
        return new AttemptPlan(catalog, activation, state, Set.copyOf(storeAtOnce), List.copyOf(lines), Set.copyOf(resuming));
    }

    /**
     * A full refresh | overwrite stream of a sync: its replacement table may outlive a failed attempt, and the job's
     * next attempt may then read on from the last range the destination acknowledged (issue 23).
     */
    static boolean resumableFullRefresh(Job job, ConfiguredStream s) {
        return job.jobType == JobType.SYNC && s.syncMode() == SyncMode.FULL_REFRESH
                && s.destinationSyncMode() == DestinationSyncMode.OVERWRITE;
    }

    /** This plan with only {@code keys} of the streams it offered for resuming still offered (the source refused the others). */
    AttemptPlan resumingOnly(Set<String> keys) {
        if (keys.containsAll(resuming)) {
            return this;
        }
        List<ConfiguredStream> streams = new ArrayList<>();
        for (ConfiguredStream s : catalog.streams()) {
            streams.add(resuming.contains(s.stream().qualifiedName()) && !keys.contains(s.stream().qualifiedName())
                    ? s.withResumeState(null) : s);
        }
        Map<String, JsonNode> state = new HashMap<>(readState);
        Set<String> still = new HashSet<>(resuming);
        for (String key : resuming) {
            if (!keys.contains(key)) {
                state.remove(key);
                still.remove(key);
            }
        }
        return new AttemptPlan(new ConfiguredCatalog(streams), activation, state, storeAtOnce, logLines, Set.copyOf(still));
    }

    /**
     * The states the source reads on from once the destination is open: a stream offered for resuming reads on from
     * its state only if the destination resumed it ({@code resumed}); otherwise it reads from the start.
     */
    Map<String, JsonNode> readStateFor(Set<String> resumed) {
        Map<String, JsonNode> out = new HashMap<>(readState);
        for (String key : resuming) {
            if (!resumed.contains(key)) {
                out.remove(key);
            }
        }
        return out;
    }

    /**
     * A stream whose state is stored at each checkpoint (a restart reads on from there): an incremental stream
     * appended to in a sync. Refreshes re-read everything, so their state counts only once the job completes; so does
     * an overwrite stream's, but where its source resumes a full refresh ({@link #resumableFullRefresh}).
     */
    static boolean resumable(Job job, ConfiguredStream s) {
        return job.jobType == JobType.SYNC && s.syncMode() == SyncMode.INCREMENTAL
                && (s.destinationSyncMode() == DestinationSyncMode.APPEND
                || s.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP);
    }

    /**
     * The streams a job covers, as it writes them: a sync every stream; a clear or refresh its scope (every stream
     * when none), a clear and a removing refresh replacing the destination's rows (overwrite keeps the old rows
     * readable until the new ones are complete).
     */
    static ConfiguredCatalog jobCatalog(Job job, ConfiguredCatalog all) {
        if (job.jobType == JobType.SYNC) {
            return all;
        }
        Set<String> scope = scope(job);
        boolean replace = job.jobType == JobType.CLEAR || "remove".equals(job.refreshMode);
        List<ConfiguredStream> streams = new ArrayList<>();
        for (ConfiguredStream s : all.streams()) {
            if (scope != null && !scope.contains(s.stream().qualifiedName())) {
                continue;
            }
            DestinationSyncMode mode = s.destinationSyncMode();
            if (replace) {
                mode = mode == DestinationSyncMode.APPEND_DEDUP || mode == DestinationSyncMode.OVERWRITE_DEDUP
                        ? DestinationSyncMode.OVERWRITE_DEDUP : DestinationSyncMode.OVERWRITE;
            }
            streams.add(s.withDestinationSyncMode(mode));
        }
        return new ConfiguredCatalog(streams);
    }

    /** The qualified names of the streams a clear or refresh names; null for every stream. */
    static Set<String> scope(Job job) {
        if (job.scope == null) {
            return null;
        }
        try {
            List<Map<String, String>> refs = JSON.readValue(job.scope, new TypeReference<>() { });
            Set<String> scope = new HashSet<>();
            for (var r : refs) {
                scope.add(qualified(r.get("namespace"), r.get("name")));
            }
            return scope;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("scope of job " + job.id + " is not JSON", e);
        }
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

    /** The stream's qualified name; a stream the connection does not sync fails the attempt: the source is wrong. */
    static String configured(Set<String> streams, String namespace, String name) throws ConnectorException {
        String q = qualified(namespace, name);
        if (!streams.contains(q)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "the source sent a record of stream " + q
                    + ", which this connection does not sync");
        }
        return q;
    }

    static String qualified(String namespace, String name) {
        return namespace == null ? name : namespace + "." + name;
    }
}
