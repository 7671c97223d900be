package dev.syncline.connectors.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.DestinationConformance;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.sql.SqlIdentifiers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class DuckDbDestinationTest extends DestinationConformance {
    @TempDir
    static Path dir;

    Path file() {
        return dir.resolve("warehouse.duckdb");
    }

    @Override
    protected DestinationConnector destination() {
        return new DuckDbDestination(dev.syncline.connectors.reach.ConnectorReach.builder().filesRoots(List.of(dir)).build());
    }

    @Override
    protected ObjectNode config(String schema) {
        return JSON.createObjectNode().put("path", file().toString()).put("schema", schema);
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        bad.put(JSON.createObjectNode().put("path", dir.resolve("no/such/x.duckdb").toString()), "folder " + dir.resolve("no/such") + " does not exist");
        bad.put(JSON.createObjectNode().put("path", ""), "path is required");
        return bad;
    }

    @Override
    protected List<List<Object>> rows(String schema, String table, List<String> columns) throws Exception {
        List<String> select = new ArrayList<>();
        for (String c : columns) {
            select.add(c.equals("deleted") ? "(_ab_cdc_deleted_at is not null) as deleted" : SqlIdentifiers.quote(c));
        }
        String sql = "select " + String.join(", ", select) + ", CAST(_syncline_meta AS VARCHAR) from "
                + SqlIdentifiers.qualified(schema, table) + " order by " + String.join(", ",
                java.util.stream.IntStream.rangeClosed(1, columns.size()).mapToObj(String::valueOf).toList());
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Integer n ? Long.valueOf(n) : v);
                }
                List<String> changed = new ArrayList<>();
                for (JsonNode ch : JSON.readTree(rs.getString(columns.size() + 1)).path("changes")) {
                    changed.add(ch.path("field").asText());
                }
                row.add(String.join(",", changed));
                out.add(row);
            }
        }
        return out;
    }

    @Override
    protected List<String> tables(String schema) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file());
             java.sql.PreparedStatement st = c.prepareStatement("select table_name from information_schema.tables "
                     + "where table_schema = ? order by 1")) {
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
