package dev.syncline.connectors.postgres;

import dev.syncline.connectors.sql.SqlIdentifiers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.DestinationConformance;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Rejection;
import java.sql.Statement;
import static org.assertj.core.api.Assertions.assertThat;

class PostgresDestinationTest extends DestinationConformance {
    static String database;

    @BeforeAll
    static void database() {
        database = SharedPostgres.newDatabase("dest");
    }

    @Override
    protected DestinationConnector destination() {
        return new PostgresDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build());
    }

    @Override
    protected ObjectNode config(String schema) {
        ObjectNode c = JSON.createObjectNode();
        c.put("host", "127.0.0.1");
        c.put("port", SharedPostgres.get().port());
        c.put("database", database);
        c.put("username", PostgresServer.USER);
        c.put("password", SharedPostgres.get().password());
        c.put("schema", schema);
        return c;
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        ObjectNode noDb = config("public");
        noDb.put("database", "no_such_database");
        bad.put(noDb, "database no_such_database does not exist");
        ObjectNode noHost = config("public");
        noHost.put("port", dev.syncline.infra.FreePorts.pick());
        bad.put(noHost, "unreachable");
        ObjectNode noUser = config("public");
        noUser.remove("username");
        bad.put(noUser, "username");
        return bad;
    }

    @Override
    protected List<List<Object>> rows(String schema, String table, List<String> columns) throws Exception {
        List<String> select = new ArrayList<>();
        for (String c : columns) {
            select.add(c.equals("deleted") ? "(_ab_cdc_deleted_at is not null) as deleted" : SqlIdentifiers.quote(c));
        }
        String sql = "select " + String.join(", ", select)
                + ", coalesce((select string_agg(ch->>'field', ',') from jsonb_array_elements(_syncline_meta->'changes') ch), '') "
                + "from " + SqlIdentifiers.qualified(schema, table) + " order by " + String.join(", ",
                java.util.stream.IntStream.rangeClosed(1, columns.size() + 1).mapToObj(String::valueOf).toList());
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = SharedPostgres.get().connect(database); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size() + 1; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Integer n ? Long.valueOf(n) : v);
                }
                out.add(row);
            }
        }
        return out;
    }

    @Override
    protected List<String> tables(String schema) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedPostgres.get().connect(database);
             java.sql.PreparedStatement st = c.prepareStatement("select tablename from pg_tables where schemaname = ? order by 1")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Issue 23, item 1: rows of a table that is appended to (or replaced) are loaded by several COPYs at once, each on
     * its own connection, and none is lost, doubled or refused without a rejection: every load's statement notes its
     * connection (a trigger that also makes each load take 0.2 s, so that the next batch is ready while it runs).
     */
    @Test
    void aTableIsLoadedBySeveralCopiesAtOnceAndKeepsEveryRowAndEveryRefusal() throws Exception {
        String schema = "parallel_loads";
        ObjectNode config = config(schema).put("parallel_loads", 3);
        ConfiguredCatalog catalog = catalog(DestinationSyncMode.APPEND, false);
        assertThat(sync(config, catalog, List.of(row("id", 0L, "name", "first", "age", 1L,
                "updated_at", "2024-01-01T00:00:00Z")))).isEmpty();
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement()) {
            st.execute("create table parallel_loads.loads (pid int)");
            st.execute("create function parallel_loads.noted() returns trigger language plpgsql as $$ begin "
                    + "insert into parallel_loads.loads values (pg_backend_pid()); "
                    + "if (select count(*) from new_rows) > 1 then perform pg_sleep(0.2); end if; return null; end $$");
            st.execute("create trigger noted after insert on parallel_loads.users referencing new table as new_rows "
                    + "for each statement execute function parallel_loads.noted()");
            // the database refuses two of the rows: their batches are loaded again row by row
            st.execute("alter table parallel_loads.users add constraint not_13 check (id <> 13 and id <> 25013)");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= 30_000; id++) {
            rows.add(row("id", id, "name", "user " + id + " ".repeat(100), "age", id % 90, "updated_at", "2024-01-02T00:00:00Z"));
        }
        List<Rejection> refused = sync(config, catalog, rows);
        assertThat(refused).extracting(r -> r.record().data().get("id")).containsExactlyInAnyOrder(13L, 25013L);
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(distinct id), sum(id), "
                     + "(select count(distinct pid) from parallel_loads.loads) from parallel_loads.users")) {
            rs.next();
            long expectedSum = 30_000L * 30_001 / 2 - 13 - 25013;
            assertThat(rs.getLong(1)).isEqualTo(1 + 30_000 - 2);
            assertThat(rs.getLong(2)).isEqualTo(1 + 30_000 - 2);
            assertThat(rs.getLong(3)).isEqualTo(expectedSum);
            assertThat(rs.getInt(4)).as("connections that loaded rows").isBetween(2, 3);
        }
    }

    /**
     * Issue 23, item 1: a full refresh | overwrite attempt that fails leaves its replacement table, and a retry resumes
     * from the checkpoint the platform stored: the rows after it are dropped and loaded again, once; a retry from a
     * state the destination does not know starts over.
     */
    @Test
    void aRetryResumesTheReplacementTableFromTheStoredCheckpointAndStartsOverFromAnyOther() throws Exception {
        ConfiguredCatalog catalog = catalog(DestinationSyncMode.OVERWRITE, false);
        // the platform stored b: resumes from there
        String schema = "resume_b";
        attemptThatFails(schema, catalog);
        assertThat(tables(schema)).contains("_syncline_tmp_users", "_syncline_checkpoints_users").doesNotContain("users");
        assertThat(retry(schema, catalog, rangeState(2), 201)).containsExactly("users");
        assertOneToThreeHundred(schema);

        // the writer recorded b, but the platform only stored a (it stopped in between): resumes from a
        schema = "resume_a";
        attemptThatFails(schema, catalog);
        assertThat(retry(schema, catalog, rangeState(1), 101)).containsExactly("users");
        assertOneToThreeHundred(schema);

        // a state it never recorded: starts over
        schema = "resume_unknown";
        attemptThatFails(schema, catalog);
        assertThat(retry(schema, catalog, rangeState(7), 1)).isEmpty();
        assertOneToThreeHundred(schema);

        // the stream's fields changed since (a column more): the table is not what this attempt would make, starts over
        schema = "resume_changed";
        attemptThatFails(schema, catalog);
        assertThat(retry(schema, catalog(DestinationSyncMode.OVERWRITE, true), rangeState(2), 1)).isEmpty();
        assertOneToThreeHundred(schema);

        // the sync was cancelled, or that was its last attempt: nothing is left behind
        schema = "resume_none";
        attemptThatFails(schema, catalog, false);
        assertThat(tables(schema)).isEmpty();
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode rangeState(int next) {
        com.fasterxml.jackson.databind.node.ObjectNode st = JSON.createObjectNode();
        st.putObject("ctid_ranges").put("next_range", next).put("chunk_pages", 1);
        return st;
    }

    private static void write(dev.syncline.connectors.spi.RecordWriter w, long from, long to) throws Exception {
        for (long id = from; id <= to; id++) {
            w.write(new dev.syncline.connectors.spi.SourceMessage.RecordMessage(null, "users", new java.util.HashMap<>(
                    row("id", id, "name", "user " + id, "age", id % 90, "updated_at", "2024-01-02T00:00:00Z")),
                    java.time.Instant.now()));
        }
    }

    private static dev.syncline.connectors.spi.WriteListener listener() {
        return listener(true);
    }

    /** {@code retryMayFollow}: what the platform answers when the writer asks whether to keep a failed attempt's work. */
    private static dev.syncline.connectors.spi.WriteListener listener(boolean retryMayFollow) {
        return new dev.syncline.connectors.spi.WriteListener() {
            @Override
            public void rejected(Rejection rejection) {
                throw new AssertionError("rejected " + rejection);
            }

            @Override
            public void checkpointed(dev.syncline.connectors.spi.SourceMessage.StateMessage state) {
            }

            @Override
            public boolean retryMayFollow() {
                return retryMayFollow;
            }
        };
    }

    /** Rows 1-100, checkpoint a, rows 101-200, checkpoint b, rows 201-250, then the attempt fails. */
    private void attemptThatFails(String schema, ConfiguredCatalog catalog) throws Exception {
        attemptThatFails(schema, catalog, true);
    }

    private void attemptThatFails(String schema, ConfiguredCatalog catalog, boolean retryMayFollow) throws Exception {
        try (var w = destination().open(config(schema), catalog, listener(retryMayFollow))) {
            write(w, 1, 100);
            w.checkpoint(new dev.syncline.connectors.spi.SourceMessage.StateMessage(null, "users", rangeState(1)));
            write(w, 101, 200);
            w.checkpoint(new dev.syncline.connectors.spi.SourceMessage.StateMessage(null, "users", rangeState(2)));
            write(w, 201, 250);
        }
    }

    /** A retry from {@code state}, writing rows {@code from}-300 and completing; what it resumed. */
    private java.util.Set<String> retry(String schema, ConfiguredCatalog catalog, com.fasterxml.jackson.databind.JsonNode state,
                                        long from) throws Exception {
        ConfiguredCatalog resuming = new ConfiguredCatalog(List.of(catalog.streams().getFirst().withResumeState(state)));
        try (var w = destination().open(config(schema), resuming, listener())) {
            java.util.Set<String> resumed = w.resumed();
            write(w, from, 300);
            w.checkpoint(new dev.syncline.connectors.spi.SourceMessage.StateMessage(null, "users", JSON.createObjectNode()));
            w.complete();
            return resumed;
        }
    }

    private void assertOneToThreeHundred(String schema) throws Exception {
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(distinct id), sum(id), min(id), max(id) from "
                     + schema + ".users")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
                    .containsExactly(300L, 300L, 45_150L, 1L, 300L);
        }
        assertThat(tables(schema)).containsExactly("users");
        assertThat(rows(schema, "users", List.of("id")).size()).isEqualTo(300);
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from information_schema.columns where table_schema = '" + schema
                     + "' and table_name = 'users' and column_name = '_syncline_checkpoint'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the checkpoint column is dropped").isZero();
        }
    }
}
