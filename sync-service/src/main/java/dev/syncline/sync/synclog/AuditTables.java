package dev.syncline.sync.synclog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The sync log's tables in the user's database ({@value #SCHEMA}) and how a batch is written there, on one JDBC
 * connection in the caller's transaction. Every write is idempotent: a batch written again (a retry after its
 * acknowledgement was lost) changes nothing.
 * <ul>
 *   <li>{@code sync_runs}: one row per job (its type, status, attempts, times and counts), rewritten as it goes on;</li>
 *   <li>{@code sync_changelog}: one row per record operation (run, attempt, stream, object, record key, operation,
 *       succeeded or rejected with its reason, the payload sent, time), kept for the retention;</li>
 *   <li>{@code sync_snapshot}: the latest operation on each record key of each object.</li>
 * </ul>
 */
final class AuditTables {
    static final String SCHEMA = "syncline_audit";

    static final String DDL = """
            create schema if not exists syncline_audit;
            create table if not exists syncline_audit.sync_runs (
                connection_id    uuid        not null,
                job_id           bigint      not null,
                job_type         text        not null,
                status           text        not null,
                attempts         int         not null,
                created_at       timestamptz not null,
                started_at       timestamptz,
                ended_at         timestamptz,
                records_read     bigint      not null,
                records_written  bigint      not null,
                records_rejected bigint      not null,
                failure_message  text,
                updated_at       timestamptz not null,
                primary key (connection_id, job_id));
            create table if not exists syncline_audit.sync_changelog (
                connection_id  uuid        not null,
                job_id         bigint      not null,
                attempt        int         not null,
                seq            bigint      not null,
                stream         text        not null,
                object         text        not null,
                record_key     text,
                operation      text        not null,
                status         text        not null,
                reason_code    text,
                reason_field   text,
                reason_message text,
                payload        jsonb,
                at             timestamptz not null,
                primary key (connection_id, job_id, attempt, seq));
            create index if not exists sync_changelog_at on syncline_audit.sync_changelog (connection_id, at);
            create index if not exists sync_changelog_key on syncline_audit.sync_changelog (connection_id, object, record_key);
            create table if not exists syncline_audit.sync_snapshot (
                connection_id  uuid        not null,
                object         text        not null,
                record_key     text        not null,
                stream         text        not null,
                operation      text        not null,
                status         text        not null,
                reason_code    text,
                reason_field   text,
                reason_message text,
                payload        jsonb,
                job_id         bigint      not null,
                attempt        int         not null,
                seq            bigint      not null,
                at             timestamptz not null,
                primary key (connection_id, object, record_key));
            """;

    /** JSON lines taken whole: neither byte can appear in JSON text, so no character of a line is special. */
    private static final String COPY = "copy pg_temp.syncline_audit_in (line) from stdin "
            + "(format csv, quote e'\\x01', delimiter e'\\x02')";

    private static final String CHANGELOG = "insert into syncline_audit.sync_changelog (connection_id, job_id, attempt, seq, "
            + "stream, object, record_key, operation, status, reason_code, reason_field, reason_message, payload, at) "
            + "select ?, ?, ?, (line->>'seq')::bigint, line->>'stream', line->>'object', line->>'key', line->>'operation', "
            + "line->>'status', line->>'code', line->>'field', line->>'message', line->'payload', (line->>'at')::timestamptz "
            + "from pg_temp.syncline_audit_in on conflict do nothing";

    // the latest operation of each key wins, whatever order batches arrive in
    private static final String SNAPSHOT = "insert into syncline_audit.sync_snapshot as s (connection_id, object, record_key, "
            + "stream, operation, status, reason_code, reason_field, reason_message, payload, job_id, attempt, seq, at) "
            + "select distinct on (line->>'object', line->>'key') ?, line->>'object', line->>'key', line->>'stream', "
            + "line->>'operation', line->>'status', line->>'code', line->>'field', line->>'message', line->'payload', ?, ?, "
            + "(line->>'seq')::bigint, (line->>'at')::timestamptz from pg_temp.syncline_audit_in where line->>'key' is not null "
            + "order by line->>'object', line->>'key', (line->>'seq')::bigint desc "
            + "on conflict (connection_id, object, record_key) do update set stream = excluded.stream, "
            + "operation = excluded.operation, status = excluded.status, reason_code = excluded.reason_code, "
            + "reason_field = excluded.reason_field, reason_message = excluded.reason_message, payload = excluded.payload, "
            + "job_id = excluded.job_id, attempt = excluded.attempt, seq = excluded.seq, at = excluded.at "
            + "where (excluded.job_id, excluded.attempt, excluded.seq) > (s.job_id, s.attempt, s.seq)";

    private static final String RUN = "insert into syncline_audit.sync_runs (connection_id, job_id, job_type, status, attempts, "
            + "created_at, started_at, ended_at, records_read, records_written, records_rejected, failure_message, updated_at) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (connection_id, job_id) do update set "
            + "status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at, "
            + "ended_at = excluded.ended_at, records_read = excluded.records_read, records_written = excluded.records_written, "
            + "records_rejected = excluded.records_rejected, failure_message = excluded.failure_message, updated_at = now()";

    /** A job as sync_runs shows it, read from sync-service's own job row. */
    record Run(long jobId, String jobType, String status, int attempts, OffsetDateTime createdAt, OffsetDateTime startedAt,
               OffsetDateTime endedAt, long read, long written, long rejected, String failure) { }

    private AuditTables() { }

    /**
     * Creates what is missing, only then: a role that may write into tables an admin made for it (and may not create
     * schemas) writes all the same.
     */
    static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select to_regclass('syncline_audit.sync_runs') is not null "
                     + "and to_regclass('syncline_audit.sync_changelog') is not null "
                     + "and to_regclass('syncline_audit.sync_snapshot') is not null")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        }
    }

    /** A batch of record operations (JSON lines): into the changelog, and the snapshot of each key. */
    static int changes(Connection c, UUID connectionId, long jobId, int attempt, byte[] body) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("create temp table if not exists syncline_audit_in (line jsonb)");
            st.execute("truncate pg_temp.syncline_audit_in");
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new SQLException("could not send the batch: " + e.getMessage(), e);
        }
        int inserted;
        try (PreparedStatement st = c.prepareStatement(CHANGELOG)) {
            st.setObject(1, connectionId);
            st.setLong(2, jobId);
            st.setInt(3, attempt);
            inserted = st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement(SNAPSHOT)) {
            st.setObject(1, connectionId);
            st.setLong(2, jobId);
            st.setInt(3, attempt);
            st.executeUpdate();
        }
        return inserted;
    }

    /** The job's row of sync_runs, written again as it goes on (PostgreSQL and DuckDB alike). */
    static void run(Connection c, UUID connectionId, Run r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(RUN)) {
            st.setObject(1, connectionId);
            st.setLong(2, r.jobId());
            st.setString(3, r.jobType());
            st.setString(4, r.status());
            st.setInt(5, r.attempts());
            st.setObject(6, r.createdAt());
            st.setObject(7, r.startedAt());
            st.setObject(8, r.endedAt());
            st.setLong(9, r.read());
            st.setLong(10, r.written());
            st.setLong(11, r.rejected());
            st.setString(12, r.failure());
            st.executeUpdate();
        }
    }

    /**
     * The changelog and runs older than the retention go; the snapshot keeps each key's latest operation. (PostgreSQL
     * and DuckDB alike.)
     */
    static void prune(Connection c, UUID connectionId, int retentionDays) throws SQLException {
        OffsetDateTime before = OffsetDateTime.now().minusDays(retentionDays);
        for (String sql : new String[] {"delete from syncline_audit.sync_changelog where connection_id = ? and \"at\" < ?",
                "delete from syncline_audit.sync_runs where connection_id = ? and coalesce(ended_at, created_at) < ?"}) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setObject(1, connectionId);
                st.setObject(2, before);
                st.executeUpdate();
            }
        }
    }
}
