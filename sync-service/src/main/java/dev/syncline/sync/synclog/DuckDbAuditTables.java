package dev.syncline.sync.synclog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The sync log's tables in a DuckDB database file (a {@code duckdb} destination): the same three tables and columns as
 * {@link AuditTables} (payload as JSON text), written set by set in the caller's transaction, as idempotently. Runs
 * and pruning are {@link AuditTables#run} and {@link AuditTables#prune}: the same SQL serves both databases.
 */
final class DuckDbAuditTables {
    static final String[] DDL = {
        "create schema if not exists syncline_audit",
        "create table if not exists syncline_audit.sync_runs (connection_id uuid not null, job_id bigint not null, "
            + "job_type varchar not null, status varchar not null, attempts integer not null, created_at timestamptz not null, "
            + "started_at timestamptz, ended_at timestamptz, records_read bigint not null, records_written bigint not null, "
            + "records_rejected bigint not null, failure_message varchar, updated_at timestamptz not null, "
            + "primary key (connection_id, job_id))",
        "create table if not exists syncline_audit.sync_changelog (connection_id uuid not null, job_id bigint not null, "
            + "attempt integer not null, seq bigint not null, stream varchar not null, object varchar not null, "
            + "record_key varchar, operation varchar not null, status varchar not null, reason_code varchar, "
            + "reason_field varchar, reason_message varchar, payload varchar, \"at\" timestamptz not null, "
            + "primary key (connection_id, job_id, attempt, seq))",
        "create table if not exists syncline_audit.sync_snapshot (connection_id uuid not null, object varchar not null, "
            + "record_key varchar not null, stream varchar not null, operation varchar not null, status varchar not null, "
            + "reason_code varchar, reason_field varchar, reason_message varchar, payload varchar, job_id bigint not null, "
            + "attempt integer not null, seq bigint not null, \"at\" timestamptz not null, "
            + "primary key (connection_id, object, record_key))"
    };

    private DuckDbAuditTables() { }

    static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : DDL) {
                st.execute(sql);
            }
        }
    }

    /** How a batch's JSON lines are read: every field, typed (a field a line lacks is NULL). */
    private static final String COLUMNS = "{seq: 'BIGINT', stream: 'VARCHAR', object: 'VARCHAR', key: 'VARCHAR', "
            + "operation: 'VARCHAR', status: 'VARCHAR', code: 'VARCHAR', field: 'VARCHAR', message: 'VARCHAR', "
            + "payload: 'JSON', \"at\": 'TIMESTAMPTZ'}";

    /**
     * A batch of record operations (JSON lines): read whole by DuckDB's JSON reader from a file only this process may
     * read (removed at once), into the changelog, and the latest of each key into the snapshot, set by set.
     */
    static void changes(Connection c, UUID connectionId, long jobId, int attempt, byte[] body) throws SQLException {
        Path file;
        try {
            file = Files.createTempFile("syncline-sync-log-", ".jsonl",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, body);
        } catch (IOException e) {
            throw new SQLException("could not stage the batch: " + e.getMessage(), "58030", e);
        }
        try {
            try (Statement st = c.createStatement()) {
                // the path is the temporary file's, made here: nothing of a user's is in it
                st.execute("create or replace temp table syncline_audit_in as select * from read_json('"
                        + file.toString().replace("'", "''") + "', format = 'newline_delimited', columns = " + COLUMNS + ")");
            }
            try (PreparedStatement st = c.prepareStatement("insert into syncline_audit.sync_changelog select ?, ?, ?, seq, "
                    + "stream, object, key, operation, status, code, field, message, payload::varchar, \"at\" "
                    + "from syncline_audit_in on conflict do nothing")) {
                st.setObject(1, connectionId);
                st.setLong(2, jobId);
                st.setInt(3, attempt);
                st.executeUpdate();
            }
            // the latest operation of each key wins, whatever order batches arrive in
            try (PreparedStatement st = c.prepareStatement("insert into syncline_audit.sync_snapshot (connection_id, object, "
                    + "record_key, stream, operation, status, reason_code, reason_field, reason_message, payload, job_id, "
                    + "attempt, seq, \"at\") select distinct on (object, key) ?, object, key, stream, operation, status, code, "
                    + "field, message, payload::varchar, ?, ?, seq, \"at\" from syncline_audit_in where key is not null "
                    + "order by object, key, seq desc on conflict (connection_id, object, record_key) "
                    + "do update set stream = excluded.stream, operation = excluded.operation, status = excluded.status, "
                    + "reason_code = excluded.reason_code, reason_field = excluded.reason_field, "
                    + "reason_message = excluded.reason_message, payload = excluded.payload, job_id = excluded.job_id, "
                    + "attempt = excluded.attempt, seq = excluded.seq, \"at\" = excluded.\"at\" "
                    + "where excluded.job_id > sync_snapshot.job_id or (excluded.job_id = sync_snapshot.job_id "
                    + "and (excluded.attempt > sync_snapshot.attempt or (excluded.attempt = sync_snapshot.attempt "
                    + "and excluded.seq > sync_snapshot.seq)))")) {
                st.setObject(1, connectionId);
                st.setLong(2, jobId);
                st.setInt(3, attempt);
                st.executeUpdate();
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the temporary folder's own cleaning takes it
            }
        }
    }
}
