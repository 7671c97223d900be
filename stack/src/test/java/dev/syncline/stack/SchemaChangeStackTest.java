package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema changes made in a real source database, discovered by schema-service and applied by connection-service
 * under each connection's policy: a column added, a column removed and a table added; then the cursor column dropped,
 * a breaking change that pauses every connection syncing the stream incrementally, whatever its policy.
 */
@ExtendWith(SharedStack.class)
class SchemaChangeStackTest {
    static Stack stack;
    static String cs;

    @BeforeAll
    static void start() {
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
    }


    static void sql(String database, String... statements) throws Exception {
        try (Connection c = stack.infrastructure().postgres().connect(database)) {
            for (String s : statements) {
                c.createStatement().execute(s);
            }
        }
    }

    static JsonNode connection(String id) throws Exception {
        return call("GET", cs + "/connections/" + id, null).body();
    }

    static List<String> names(JsonNode connection) {
        List<String> out = new ArrayList<>();
        connection.path("streams").forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    static List<String> fields(JsonNode connection, String stream) {
        List<String> out = new ArrayList<>();
        connection.path("streams").forEach(s -> {
            if (s.path("name").asText().equals(stream)) {
                s.path("fields").forEach(f -> out.add(f.path("name").asText()));
            }
        });
        return out;
    }

    static void rediscover(String source, long version) throws Exception {
        assertThat(call("POST", cs + "/sources/" + source + "/discover", null).status()).isEqualTo(202);
        poll("catalog version " + version, Duration.ofSeconds(90), () -> call("GET", cs + "/sources/" + source + "/catalog", null).body(),
                c -> c.path("catalogVersion").asLong() >= version);
    }

    @Test
    void eachPolicyAppliesAChangeMadeInTheSourceDatabaseAndABreakingOnePausesTheConnections() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("shop");
        sql("shop", "create table orders (id bigint primary key, name text, updated_at timestamptz not null default now())",
                "create table events (id bigint primary key, name text)",
                "insert into orders values (1, 'first', now())");
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Shop\",\"sourceType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"shop\","
                + pg.superuser().configMembers() + "}}"), "sourceId");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":\"Warehouse\","
                + "\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port()
                + ",\"database\":\"" + Stack.WAREHOUSE + "\"," + stack.warehouse().configMembers() + ","
                + "\"schema\":\"schemas\"}}"), "destinationId");
        Map<String, String> byPolicy = new HashMap<>();
        for (String policy : List.of("propagate_columns", "propagate_fully", "ignore", "disable")) {
            String id = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                    + "\",\"destinationId\":\"" + destination + "\",\"prefix\":\"" + policy + "_\",\"schemaChangePolicy\":\""
                    + policy + "\"}"), "connectionId");
            poll("schema discovered", Duration.ofSeconds(90), () -> call("GET", cs + "/connections/" + id + "/catalog", null).body(),
                    c -> c.path("status").asText().equals("discovered"));
            byPolicy.put(policy, id);
        }
        JsonNode before = connection(byPolicy.get("ignore"));
        assertThat(names(before)).containsExactlyInAnyOrder("orders", "events");
        assertThat(fields(before, "orders")).containsExactly("id", "name", "updated_at");
        long v1 = call("GET", cs + "/sources/" + source + "/catalog", null).body().path("catalogVersion").asLong();

        // in the source database: orders gains email and loses name, a new table customers
        sql("shop", "alter table orders add column email text", "alter table orders drop column name",
                "create table customers (id bigint primary key, name text)");
        rediscover(source, v1 + 1);

        String columns = byPolicy.get("propagate_columns");
        poll("propagate_columns applied", Duration.ofSeconds(60), () -> connection(columns),
                c -> fields(c, "orders").equals(List.of("id", "updated_at", "email")));
        assertThat(names(connection(columns))).containsExactlyInAnyOrder("orders", "events");
        JsonNode fully = connection(byPolicy.get("propagate_fully"));
        assertThat(names(fully)).containsExactlyInAnyOrder("orders", "events", "customers");
        assertThat(fields(fully, "orders")).containsExactly("id", "updated_at", "email");
        // ignore: nothing changes until the user approves
        String ignore = byPolicy.get("ignore");
        JsonNode ignored = connection(ignore);
        assertThat(ignored.path("status").asText()).isEqualTo("active");
        assertThat(fields(ignored, "orders")).containsExactly("id", "name", "updated_at");
        JsonNode pending = call("GET", cs + "/connections/" + ignore + "/schema-changes", null).body();
        assertThat(pending.size()).as(pending.toString()).isEqualTo(1);
        assertThat(pending.at("/0/diff/streamsAdded/0/name").asText()).isEqualTo("customers");
        JsonNode approved = call("POST", cs + "/connections/" + ignore + "/schema-changes/approve", null).body();
        assertThat(names(approved)).containsExactlyInAnyOrder("orders", "events", "customers");
        assertThat(fields(approved, "orders")).containsExactly("id", "updated_at", "email");
        // disable: paused, syncs refused until reviewed
        String disable = byPolicy.get("disable");
        assertThat(connection(disable).path("status").asText()).isEqualTo("paused");
        assertThat(call("POST", cs + "/connections/" + disable + "/sync", null).status()).isEqualTo(409);

        // a breaking change: the cursor of orders (incremental) is dropped in the source
        sql("shop", "alter table orders drop column updated_at");
        rediscover(source, v1 + 2);
        poll("propagate_columns paused", Duration.ofSeconds(60), () -> connection(columns),
                c -> c.path("status").asText().equals("paused"));
        for (String policy : List.of("propagate_columns", "propagate_fully", "ignore")) {
            JsonNode timeline = call("GET", cs + "/connections/" + byPolicy.get(policy) + "/timeline", null).body();
            assertThat(timeline.toString()).as(policy).contains("SCHEMA_CHANGE_BREAKING")
                    .contains("stream orders: cursor field updated_at was removed");
            assertThat(connection(byPolicy.get(policy)).path("status").asText()).as(policy).isEqualTo("paused");
        }
        System.out.println("[schema-change] four policies applied to changes made in the source database; the dropped cursor "
                + "paused every connection");
    }
}
