package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.kit.actors.ActorCopy;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What an attempt reads and writes in sync-service's database while it runs: what it needs at its start, the
 * rejection sink's batches with the states acknowledged with them, the records waiting to be offered again, and a
 * clear's reset of states. Blocking, on the attempt's thread.
 */
@ApplicationScoped
public class AttemptStore {
    private static final Logger LOG = Logger.getLogger(AttemptStore.class);

    @Inject
    Pool db;

    @Inject
    ObjectMapper json;

    /** Everything an attempt needs, read once at its start. */
    record Inputs(Job job, ConnectionCopy connection, ConnectionConfiguration configuration, ActorCopy source,
                  ActorCopy destination, Map<String, JsonNode> state, Map<String, Long> stateJobs, boolean syncLogs) { }

    Inputs load(long jobId) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Job.<Job>findById(jobId)
                .chain(job -> ConnectionCopy.<ConnectionCopy>findById(job.connectionId)
                        .chain(c -> ActorCopy.<ActorCopy>findById(c.sourceId)
                                .chain(src -> ActorCopy.<ActorCopy>findById(c.destinationId)
                                        .chain(dst -> StreamState.<StreamState>list("connectionId", c.id).chain(states ->
                                                dev.syncline.sync.synclog.SyncLogSettings.<dev.syncline.sync.synclog.SyncLogSettings>findById(c.id)
                                                        .map(logs -> new Inputs(job, c, c.configuration(), src, dst,
                                                                states(c.id, states), stateJobs(states), logs != null)))))))));
    }

    private Map<String, JsonNode> states(UUID connectionId, List<StreamState> states) {
        Map<String, JsonNode> state = new HashMap<>();
        for (StreamState s : states) {
            try {
                state.put(s.stream, json.readTree(s.state));
            } catch (JsonProcessingException e) {
                LOG.warnf("state of %s/%s is not JSON: read from the start", connectionId, s.stream);
            }
        }
        return state;
    }

    /** The job that stored each state. */
    private static Map<String, Long> stateJobs(List<StreamState> states) {
        Map<String, Long> jobs = new HashMap<>();
        for (StreamState s : states) {
            jobs.put(s.stream, s.jobId);
        }
        return jobs;
    }

    /** The records waiting to be offered again, per stream: key → source record. */
    Map<String, Map<String, String>> waitingRetries(UUID connectionId) throws Throwable {
        List<Object[]> rows = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("select stream, record_key, record from rejected_retry where connection_id = ?1",
                        Object[].class).setParameter(1, connectionId).getResultList())));
        Map<String, Map<String, String>> out = new HashMap<>();
        for (Object[] r : rows) {
            out.computeIfAbsent((String) r[0], k -> new LinkedHashMap<>()).put((String) r[1], (String) r[2]);
        }
        return out;
    }

    /**
     * A clear resets the state of the streams it cleared, and the whole source's state (it holds their positions too,
     * in a form only the source knows): the next sync reads them from the start.
     */
    void clearStates(Job job, ConfiguredCatalog catalog) throws Throwable {
        List<String> keys = new ArrayList<>(catalog.streams().stream().map(s -> s.stream().qualifiedName()).toList());
        keys.add(SourceMessage.StateMessage.WHOLE_SOURCE);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                StreamState.delete("connectionId = ?1 and stream in (?2)", job.connectionId, keys)));
    }

    /**
     * Stores a batch of {@code job}'s sink, states with the rejections before them, in one transaction: a restart
     * loses neither. Straight on the reactive pool, one statement per table (arrays unnested into rows): a sync
     * rejecting every record flushes thousands of rows a second, which Hibernate's per-parameter binding of multi-row
     * statements cannot keep up with.
     */
    void store(Job job, RejectionSink.Batch b) throws Throwable {
        List<String[]> rows = new ArrayList<>();
        for (SourceMessage.StateMessage s : b.states()) {
            rows.add(new String[] {s.key(), json.writeValueAsString(s.state())});
        }
        db.withTransaction(c -> {
            Uni<Void> all = Outbox.insertAll(c, b.events()).chain(() -> insertLogs(c, b.logs()));
            for (String[] r : rows) {
                all = all.chain(() -> c.preparedQuery("insert into stream_state (connection_id, stream, state, job_id, "
                                + "updated_at) values ($1, $2, $3, $4, now()) on conflict (connection_id, stream) do update "
                                + "set state = excluded.state, job_id = excluded.job_id, updated_at = excluded.updated_at")
                        .execute(Tuple.of(job.connectionId, r[0], r[1], job.id)).replaceWithVoid());
            }
            for (SyncLogTrail.Batch log : b.syncLog()) {
                all = all.chain(() -> c.preparedQuery("insert into sync_log_batch (connection_id, job_id, attempt, kind, "
                                + "entries, body) values ($1, $2, $3, 'changes', $4, $5)")
                        .execute(Tuple.of(job.connectionId, job.id, job.attempt, log.entries(),
                                io.vertx.core.buffer.Buffer.buffer(log.body()))).replaceWithVoid());
            }
            return retryRows(c, all, job.connectionId, job.id, b.retryUpserts(), b.retryDeletes());
        }).await().indefinitely();
    }

    /** The request inspector's exchanges of an attempt, oldest first (a failure to store them fails nothing). */
    void requests(Job job, List<dev.syncline.connectors.spi.HttpExchange> exchanges) {
        if (exchanges.isEmpty()) {
            return;
        }
        try {
            int n = exchanges.size();
            Long[] jobs = new Long[n];
            Integer[] attempts = new Integer[n];
            OffsetDateTime[] at = new OffsetDateTime[n];
            String[] bodies = new String[n];
            for (int i = 0; i < n; i++) {
                jobs[i] = job.id;
                attempts[i] = job.attempt;
                at[i] = OffsetDateTime.ofInstant(exchanges.get(i).at(), java.time.ZoneOffset.UTC);
                bodies[i] = json.writeValueAsString(exchanges.get(i));
            }
            db.preparedQuery("insert into job_request (job_id, attempt, at, exchange) select j, a, t, e from "
                            + "unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::text[]) with ordinality as x(j, a, t, e, o) "
                            + "order by o")
                    .execute(Tuple.of(jobs, attempts, at, bodies)).await().indefinitely();
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warnf("job %d: the request inspector's %d exchanges were not stored: %s", job.id, exchanges.size(), e.getMessage());
        }
    }

    private static Uni<Void> insertLogs(SqlConnection c, List<JobLog> logs) {
        if (logs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = logs.size();
        Long[] jobs = new Long[n];
        Integer[] attempts = new Integer[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] levels = new String[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            JobLog l = logs.get(i);
            jobs[i] = l.jobId;
            attempts[i] = l.attempt;
            at[i] = l.at;
            levels[i] = l.level;
            messages[i] = l.message;
        }
        // in the order they were logged: their ids are the lines' order
        return c.preparedQuery("insert into job_log (job_id, attempt, at, level, message) select j, a, t, l, m from "
                        + "unnest($1::bigint[], $2::int[], $3::timestamptz[], $4::text[], $5::text[]) with ordinality "
                        + "as x(j, a, t, l, m, o) order by o")
                .execute(Tuple.of(jobs, attempts, at, levels, messages)).replaceWithVoid();
    }

    /** rejected_retry: deletes, then upserts, each as one statement. */
    private static Uni<Void> retryRows(SqlConnection c, Uni<Void> all, UUID connectionId, long jobId,
                                       List<RejectionSink.RetryRow> upserts, List<RejectionSink.RetryRow> deletes) {
        if (!deletes.isEmpty()) {
            String[] streams = deletes.stream().map(RejectionSink.RetryRow::stream).toArray(String[]::new);
            String[] keys = deletes.stream().map(RejectionSink.RetryRow::key).toArray(String[]::new);
            all = all.chain(() -> c.preparedQuery("delete from rejected_retry r using unnest($2::text[], $3::text[]) as x(s, k) "
                            + "where r.connection_id = $1 and r.stream = x.s and r.record_key = x.k")
                    .execute(Tuple.of(connectionId, streams, keys)).replaceWithVoid());
        }
        // the last rejection of a key wins (a batch may hold the same key twice: keep the later one)
        Map<String, RejectionSink.RetryRow> latest = new LinkedHashMap<>();
        for (RejectionSink.RetryRow u : upserts) {
            latest.remove(u.stream() + "\u0000" + u.key());
            latest.put(u.stream() + "\u0000" + u.key(), u);
        }
        if (!latest.isEmpty()) {
            List<RejectionSink.RetryRow> unique = new ArrayList<>(latest.values());
            String[] streams = new String[unique.size()];
            String[] keys = new String[unique.size()];
            String[] records = new String[unique.size()];
            String[] eventIds = new String[unique.size()];
            for (int i = 0; i < unique.size(); i++) {
                RejectionSink.RetryRow u = unique.get(i);
                streams[i] = u.stream();
                keys[i] = u.key();
                records[i] = u.record();
                eventIds[i] = u.eventId();
            }
            all = all.chain(() -> c.preparedQuery("insert into rejected_retry (connection_id, stream, record_key, record, event_id, "
                            + "job_id) select $1, s, k, r, e, $2 from unnest($3::text[], $4::text[], $5::text[], $6::text[]) "
                            + "as x(s, k, r, e) on conflict (connection_id, stream, record_key) do update set record = excluded.record, "
                            + "event_id = excluded.event_id, job_id = excluded.job_id, rejected_at = now()")
                    .execute(Tuple.of(connectionId, jobId, streams, keys, records, eventIds)).replaceWithVoid());
        }
        return all;
    }
}
