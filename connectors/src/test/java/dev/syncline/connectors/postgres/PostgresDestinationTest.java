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
}
