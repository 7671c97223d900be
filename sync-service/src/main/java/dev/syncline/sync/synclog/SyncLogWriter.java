package dev.syncline.sync.synclog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.postgres.PostgresConfig;
import dev.syncline.connectors.postgres.PostgresLogin;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.kit.secrets.SecretBox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes the stored sync-log batches to each connection's log database, off the syncs' path: claims the due batches
 * (any instance may; a claim is a lease, so a batch whose writer died is taken again), writes a connection's batches in
 * one transaction there, and deletes them here once committed. A database that cannot take them (away, refused, a
 * deleted destination) fails nothing: the batches wait, tried again with backoff ({@code syncline.sync.sync-log-backoff}, 5 s, doubling to 5 minutes), and the
 * connection's sync-log status says what went wrong and since when.
 */
@ApplicationScoped
public class SyncLogWriter {
    private static final Logger LOG = Logger.getLogger(SyncLogWriter.class);
    /** Batches claimed at a time (each holds up to 2,000 operations). */
    static final int CLAIM = 20;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    @Inject
    Pool db;

    @Inject
    SecretBox secrets;

    @Inject
    ObjectMapper json;

    @Inject
    ConnectorReach reach;

    @Inject
    dev.syncline.sync.job.SyncConfig config;

    private volatile boolean stopping;

    /** A claimed batch. */
    record Claimed(long id, UUID connectionId, long jobId, int attempt, String kind, int entries, byte[] body, int tries) { }

    /** Where a connection's log goes. */
    record Target(Audit audit, int retentionDays) { }

    /** How the log is written to one kind of database. */
    interface Audit {
        /** A connection to the log's database, under the connectors' guard. */
        Connection open() throws ConnectorException;

        void create(Connection c) throws SQLException;

        /** A batch of operations; the runs and pruning are the same SQL in both ({@link AuditTables#run}, {@link AuditTables#prune}). */
        void changes(Connection c, UUID connectionId, long jobId, int attempt, byte[] body) throws SQLException;

        /** A message a user can act on. */
        String describe(SQLException e);

        /** Whether one batch can be undone alone (a savepoint), so a batch the database refuses can be set aside. */
        boolean savepoints();
    }

    /** PostgreSQL (postgres, postgres-table): bounded, so one slow or locked database holds up little. */
    record PostgresAudit(PostgresConfig config) implements Audit {
        public Connection open() throws ConnectorException {
            return config.connectBounded(120, 300, 10);
        }

        public void create(Connection c) throws SQLException {
            AuditTables.create(c);
        }

        public void changes(Connection c, UUID connectionId, long jobId, int attempt, byte[] body) throws SQLException {
            AuditTables.changes(c, connectionId, jobId, attempt, body);
        }

        public String describe(SQLException e) {
            return config.describe(e);
        }

        public boolean savepoints() {
            return true;
        }
    }

    /** A DuckDB database file (duckdb): opened under the files guard; while a sync holds the file, the log waits. */
    record DuckDbAudit(com.fasterxml.jackson.databind.JsonNode config, ConnectorReach reach) implements Audit {
        public Connection open() throws ConnectorException {
            return dev.syncline.connectors.duckdb.DuckDbDestination.open(config, reach);
        }

        public void create(Connection c) throws SQLException {
            DuckDbAuditTables.create(c);
        }

        public void changes(Connection c, UUID connectionId, long jobId, int attempt, byte[] body) throws SQLException {
            DuckDbAuditTables.changes(c, connectionId, jobId, attempt, body);
        }

        public String describe(SQLException e) {
            return PostgresConfig.firstLine(e);
        }

        public boolean savepoints() {
            return false;
        }
    }

    void stop(@Observes ShutdownEvent e) {
        stopping = true;
    }

    @Inject
    dev.syncline.sync.job.JobRunner jobs;

    /** How often expired batches are dropped and a log due for it is pruned (each connection once an hour). */
    static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);

    private long lastHousekeeping = System.nanoTime() - HOUSEKEEPING_EVERY.toNanos();

    /** How far behind the log may fall while syncs run here before it is written at full speed all the same. */
    static final Duration YIELD_UP_TO = Duration.ofSeconds(30);

    /**
     * Writes what is due. While a sync runs on this instance and the oldest batch waits less than 30 s, one batch a
     * tick: the two share the machine, and the sync comes first (its log catches up once it ends); otherwise until
     * nothing is due. Then, once a minute, the housekeeping: batches older than their connection's retention dropped
     * (and counted), and one connection's log pruned when its hour has come.
     */
    @Scheduled(every = "${syncline.sync.sync-log-tick:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            if (jobs.running() > 0 && !behind()) {
                writeDue(1);
            } else {
                while (!stopping && writeDue(CLAIM) > 0 && (jobs.running() == 0 || behind())) {
                    // more may be due: go on until none is
                }
            }
            long now = System.nanoTime();
            if (now - lastHousekeeping >= HOUSEKEEPING_EVERY.toNanos()) {
                lastHousekeeping = now;
                dropExpired();
                pruneOne();
            }
        } catch (RuntimeException e) {
            LOG.warnf("sync logs: %s (tried again at the next tick)", e.getMessage());
        }
    }

    /** Whether the oldest due batch has waited longer than {@link #YIELD_UP_TO}. */
    private boolean behind() {
        RowSet<Row> rows = db.preparedQuery("select exists (select 1 from sync_log_batch where next_try_at <= now() "
                + "and created_at < now() - $1 * interval '1 millisecond') as behind")
                .execute(Tuple.of(YIELD_UP_TO.toMillis())).await().indefinitely();
        return rows.iterator().next().getBoolean("behind");
    }

    /**
     * Batches older than their connection's retention would be pruned on arrival: dropped here instead, and counted in
     * the connection's status (a log database away for good must not fill Syncline's own).
     */
    void dropExpired() {
        db.preparedQuery("with gone as (delete from sync_log_batch b using sync_log_settings s "
                        + "where b.connection_id = s.connection_id and b.created_at < now() - s.retention_days * interval '1 day' "
                        + "returning b.connection_id, b.entries), counted as (select connection_id, sum(entries) as n from gone "
                        + "group by connection_id) insert into sync_log_status (connection_id, dropped_entries) "
                        + "select connection_id, n from counted on conflict (connection_id) do update set "
                        + "dropped_entries = sync_log_status.dropped_entries + excluded.dropped_entries")
                .execute().await().indefinitely();
    }

    /** One connection whose log was last pruned over an hour ago (or never), batches or not. */
    void pruneOne() {
        RowSet<Row> due = db.preparedQuery("select s.connection_id from sync_log_settings s left join sync_log_status st "
                        + "on st.connection_id = s.connection_id where st.pruned_at is null or st.pruned_at < now() - interval '1 hour' "
                        + "order by st.pruned_at nulls first limit 1")
                .execute().await().indefinitely();
        if (due.size() == 0) {
            return;
        }
        UUID connectionId = due.iterator().next().getUUID("connection_id");
        try {
            Target target = target(connectionId);
            if (target != null) {
                try (Connection c = target.audit().open()) {
                    target.audit().create(c);
                    AuditTables.prune(c, connectionId, target.retentionDays());
                } catch (SQLException e) {
                    throw new ConnectorException(ConnectorException.Type.TRANSIENT, target.audit().describe(e));
                }
            }
            db.preparedQuery("insert into sync_log_status (connection_id, pruned_at) values ($1, now()) on conflict "
                    + "(connection_id) do update set pruned_at = now()").execute(Tuple.of(connectionId)).await().indefinitely();
        } catch (ConnectorException e) {
            // tried again in an hour; the writes say what is wrong with the database meanwhile
            db.preparedQuery("insert into sync_log_status (connection_id, pruned_at, last_error, last_error_at) "
                    + "values ($1, now(), $2, now()) on conflict (connection_id) do update set pruned_at = now(), "
                    + "last_error = $2, last_error_at = now()").execute(Tuple.of(connectionId, "pruning: " + e.getMessage()))
                    .await().indefinitely();
        }
    }

    /** Claims up to {@code limit} due batches and writes them; returns how many were claimed. */
    int writeDue(int limit) {
        RowSet<Row> rows = db.preparedQuery("update sync_log_batch b set next_try_at = now() + interval '10 minutes', "
                        + "tries = b.tries + 1 from (select id from sync_log_batch where next_try_at <= now() order by id "
                        + "limit $1 for update skip locked) due where b.id = due.id returning b.id, b.connection_id, b.job_id, "
                        + "b.attempt, b.kind, b.entries, b.body, b.tries")
                .execute(Tuple.of(limit)).await().indefinitely();
        Map<UUID, List<Claimed>> byConnection = new LinkedHashMap<>();
        for (Row r : rows) {
            var body = r.getBuffer("body");
            byConnection.computeIfAbsent(r.getUUID("connection_id"), k -> new ArrayList<>()).add(new Claimed(r.getLong("id"),
                    r.getUUID("connection_id"), r.getLong("job_id"), r.getInteger("attempt"), r.getString("kind"),
                    r.getInteger("entries"), body == null ? null : body.getBytes(), r.getInteger("tries")));
        }
        for (var e : byConnection.entrySet()) {
            List<Claimed> batches = e.getValue();
            batches.sort(Comparator.comparingLong(Claimed::id));
            write(e.getKey(), batches);
        }
        return rows.size();
    }

    private void write(UUID connectionId, List<Claimed> batches) {
        Target target;
        try {
            target = target(connectionId);
        } catch (ConnectorException e) {
            failed(connectionId, batches, e.getMessage());
            return;
        }
        if (target == null) { // sync logs turned off, or the connection deleted: nothing is to be written
            delete(batches);
            return;
        }
        long written = 0;
        List<Claimed> setAside = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        // bounded: one slow or locked database holds this writer (and every other connection's log) a few minutes at most
        Audit audit = target.audit();
        try (Connection c = audit.open()) {
            audit.create(c);
            c.setAutoCommit(false);
            Set<Long> jobs = new LinkedHashSet<>();
            for (Claimed b : batches) {
                if ("changes".equals(b.kind()) && b.body() != null) {
                    java.sql.Savepoint before = audit.savepoints() ? c.setSavepoint() : null;
                    try {
                        audit.changes(c, connectionId, b.jobId(), b.attempt(), b.body());
                        written += b.entries();
                    } catch (SQLException e) {
                        // a batch the database refuses for what it holds (class 22: data exception) would be refused
                        // at every try: set aside, with why, while the others are written
                        if (before == null || e.getSQLState() == null || !e.getSQLState().startsWith("22")) {
                            throw e;
                        }
                        c.rollback(before);
                        setAside.add(b);
                        reasons.add(PostgresConfig.firstLine(e));
                        continue;
                    }
                }
                jobs.add(b.jobId());
            }
            for (long job : jobs) {
                AuditTables.Run run = run(job);
                if (run != null) {
                    AuditTables.run(c, connectionId, run);
                }
            }
            c.commit();
        } catch (ConnectorException e) {
            failed(connectionId, batches, e.getMessage());
            return;
        } catch (SQLException e) {
            failed(connectionId, batches, audit.describe(e));
            return;
        } catch (RuntimeException e) {
            failed(connectionId, batches, PostgresConfig.firstLine(e));
            return;
        }
        List<Claimed> done = new ArrayList<>(batches);
        done.removeAll(setAside);
        delete(done);
        db.preparedQuery("insert into sync_log_status (connection_id, written_at, written_entries) values ($1, now(), $2) "
                        + "on conflict (connection_id) do update set written_at = now(), "
                        + "written_entries = sync_log_status.written_entries + $2, last_error = null, last_error_at = null")
                .execute(Tuple.of(connectionId, written)).await().indefinitely();
        for (int i = 0; i < setAside.size(); i++) {
            String why = "set aside (the database refuses what it holds, so it is not tried again): " + reasons.get(i);
            db.preparedQuery("update sync_log_batch set next_try_at = 'infinity', last_error = $2 where id = $1")
                    .execute(Tuple.of(setAside.get(i).id(), why)).await().indefinitely();
            db.preparedQuery("insert into sync_log_status (connection_id, last_error, last_error_at) values ($1, $2, now()) "
                    + "on conflict (connection_id) do update set last_error = $2, last_error_at = now()")
                    .execute(Tuple.of(connectionId, why)).await().indefinitely();
            LOG.warnf("sync log of connection %s: batch %d %s", connectionId, setAside.get(i).id(), why);
        }
    }

    /** The connection's log database; null when it keeps no log (any more). */
    Target target(UUID connectionId) throws ConnectorException {
        RowSet<Row> rows = db.preparedQuery("select s.destination_id, s.retention_days, a.connector_type, a.config, a.deleted, "
                        + "c.deleted as connection_deleted from sync_log_settings s "
                        + "left join actor_copy a on a.id = s.destination_id left join connection c on c.id = s.connection_id "
                        + "where s.connection_id = $1")
                .execute(Tuple.of(connectionId)).await().indefinitely();
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        if (Boolean.TRUE.equals(r.getBoolean("connection_deleted"))) {
            return null;
        }
        if (r.getString("config") == null || Boolean.TRUE.equals(r.getBoolean("deleted"))) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "the sync log's destination "
                    + r.getUUID("destination_id") + " was deleted: choose another on the connection's Sync logs tab");
        }
        if (!SyncLogResource.DATABASES.contains(r.getString("connector_type"))) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "the sync log's destination is a "
                    + r.getString("connector_type") + " destination, not a PostgreSQL or DuckDB database");
        }
        ObjectNode config;
        try {
            config = secrets.decryptAll((ObjectNode) json.readTree(r.getString("config")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "the sync log's destination config cannot be read");
        }
        Audit audit = "duckdb".equals(r.getString("connector_type")) ? new DuckDbAudit(config, reach)
                : new PostgresAudit(PostgresConfig.of(ConfigSchema.read(config, PostgresLogin.class), AuditTables.SCHEMA, reach));
        return new Target(audit, r.getInteger("retention_days"));
    }

    /** A job as sync_runs shows it, from its row here. */
    private AuditTables.Run run(long jobId) {
        RowSet<Row> rows = db.preparedQuery("select job_type, status, attempt, created_at, started_at, ended_at, records_read, "
                        + "records_written, records_rejected, failure_message from job where id = $1")
                .execute(Tuple.of(jobId)).await().indefinitely();
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new AuditTables.Run(jobId, r.getString("job_type"), r.getString("status"), r.getInteger("attempt"),
                r.getOffsetDateTime("created_at"), r.getOffsetDateTime("started_at"), r.getOffsetDateTime("ended_at"),
                r.getLong("records_read"), r.getLong("records_written"), r.getLong("records_rejected"),
                r.getString("failure_message"));
    }

    private void delete(List<Claimed> batches) {
        Long[] ids = batches.stream().map(Claimed::id).toArray(Long[]::new);
        db.preparedQuery("delete from sync_log_batch where id = any($1)").execute(Tuple.of(ids)).await().indefinitely();
    }

    /** Tried again after a backoff that doubles with each try; the connection's status says why. */
    private void failed(UUID connectionId, List<Claimed> batches, String message) {
        int tries = batches.stream().mapToInt(Claimed::tries).max().orElse(1);
        Duration wait = backoff(config.syncLogBackoff(), tries);
        Long[] ids = batches.stream().map(Claimed::id).toArray(Long[]::new);
        db.preparedQuery("update sync_log_batch set next_try_at = now() + $2 * interval '1 millisecond', last_error = $3 "
                        + "where id = any($1)").execute(Tuple.of(ids, wait.toMillis(), message)).await().indefinitely();
        db.preparedQuery("insert into sync_log_status (connection_id, last_error, last_error_at) values ($1, $2, now()) "
                        + "on conflict (connection_id) do update set last_error = $2, last_error_at = now()")
                .execute(Tuple.of(connectionId, message)).await().indefinitely();
        LOG.infof("sync log of connection %s not written (%d batches, try %d, again in %d s): %s", connectionId,
                batches.size(), tries, wait.toSeconds(), message);
    }

    static Duration backoff(Duration first, int tries) {
        long ms = first.toMillis() << Math.min(20, Math.max(0, tries - 1));
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }
}
