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
}
