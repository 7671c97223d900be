package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sync engine with sync-service as real processes: kill -9 in the middle of a 500,000-row incremental
 * append + deduped sync resumes from the last checkpoint; two instances share 20 connections and one takes over
 * when the other dies. On the shared stack: the killed sync-service is started again (and ready) before the test ends,
 * the second instance is always stopped.
 */
@ExtendWith(SharedStack.class)
class SyncEngineStackTest {
    static final int ROWS = 500_000;
    static Stack stack;
    static String cs;

    @BeforeAll
    static void start() {
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
    }

    static String created(EndToEndTest.Reply r, String idField) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().get(idField).asText();
    }

    /** A postgres destination on {@code on}'s own warehouse database, schema {@code schema}. */
    static String warehouse(Stack on, String schema) throws Exception {
        return created(call("POST", on.url(Service.CONNECTION) + "/destinations", "{\"name\":\"Warehouse " + schema
                + "\",\"destinationType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + on.infrastructure().postgres().port()
                + ",\"database\":\"" + Stack.WAREHOUSE + "\"," + on.warehouse().configMembers() + ","
                + "\"schema\":\"" + schema + "\"}}"), "destinationId");
    }

    static void awaitDiscovered(String connectionId) throws Exception {
        EndToEndTest.discovered("schema discovered", cs + "/connections/" + connectionId + "/catalog", Duration.ofSeconds(90));
    }

    static JsonNode jobs(String syncUrl, String connectionId) throws Exception {
        return call("GET", syncUrl + "/connections/" + connectionId + "/jobs", null).body();
    }

    static long query(String database, String sql) throws Exception {
        try (Connection c = stack.infrastructure().postgres().connect(database); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSyncKilledMidwayResumesFromItsLastCheckpointWithNoRowLostOrDuplicated() throws Exception {
        stack.infrastructure().postgres().createDatabase("crm");
        try (Connection c = stack.infrastructure().postgres().connect("crm")) {
            c.createStatement().execute("create table contacts (id bigint primary key, name text not null, "
                    + "updated_at timestamptz not null)");
            c.createStatement().execute("insert into contacts select i, 'contact ' || i, "
                    + "timestamptz '2026-01-01' + i * interval '1 second' from generate_series(1, " + ROWS + ") i");
        }
        String source = created(call("POST", cs + "/sources", "{\"name\":\"CRM\",\"sourceType\":\"postgres\",\"configuration\":"
                + "{\"host\":\"127.0.0.1\",\"port\":" + stack.infrastructure().postgres().port() + ",\"database\":\"crm\","
                + stack.infrastructure().postgres().superuser().configMembers() + "}}"), "sourceId");
        String destination = warehouse(stack, "crash");
        String connection = created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source + "\",\"destinationId\":\""
                + destination + "\"}"), "connectionId");
        awaitDiscovered(connection);
        EndToEndTest.Reply configured = call("PATCH", cs + "/connections/" + connection, "{\"streams\":[{\"namespace\":\"public\","
                + "\"name\":\"contacts\",\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append_dedup\","
                + "\"cursorField\":[\"updated_at\"],\"primaryKey\":[[\"id\"]]}]}");
        assertThat(configured.status()).as(configured.body().toString()).isEqualTo(200);
        Thread.sleep(1000); // sync-service applies the configuration from syncline.connections
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);

        String ss = stack.url(Service.SYNC);
        JsonNode checkpointed = poll("a checkpoint stored", Duration.ofSeconds(120),
                () -> call("GET", ss + "/connections/" + connection + "/streams/status", null).body().path(0),
                s -> s.hasNonNull("state") && !s.path("state").asText().isEmpty());
        stack.kill(Service.SYNC);
        System.out.printf("[crash] sync-service killed after the checkpoint %s%n", checkpointed.path("state").asText());
        long tRestart = System.nanoTime();
        stack.restart(Service.SYNC);

        JsonNode job = poll("job succeeded", Duration.ofSeconds(180), () -> jobs(ss, connection).path(0),
                j -> List.of("succeeded", "failed").contains(j.path("status").asText()));
        System.out.printf("[crash] restarted and finished in %d ms%n", (System.nanoTime() - tRestart) / 1_000_000);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        JsonNode detail = call("GET", ss + "/jobs/" + job.path("jobId").asText(), null).body();
        assertThat(detail.path("attempts").size()).as(detail.toString()).isEqualTo(2);
        assertThat(detail.at("/attempts/0/failure/message").asText()).contains("stopped responding");
        // the second attempt read on from the checkpoint, not from the start
        assertThat(detail.at("/attempts/1/recordsRead").asLong()).isLessThan(ROWS);
        assertThat(query(Stack.WAREHOUSE, "select count(*) from crash.contacts")).isEqualTo(ROWS);
        assertThat(query(Stack.WAREHOUSE, "select count(distinct id) from crash.contacts")).isEqualTo(ROWS);
        assertThat(query(Stack.WAREHOUSE, "select count(*) from crash.contacts c join generate_series(1, " + ROWS
                + ") i on c.id = i and c.name = 'contact ' || i")).isEqualTo(ROWS);
    }

    @Test
    void twoInstancesShareTwentyConnectionsAndOneTakesOverWhenTheOtherDies() throws Exception {
        String second = stack.startInstance(Service.SYNC);
        try {
            shareAndTakeOver(second);
        } finally {
            stack.killInstance(second); // whatever happened, the next test finds one instance only
        }
    }

    private void shareAndTakeOver(String second) throws Exception {
        String ss = stack.url(Service.SYNC);
        String source = created(call("POST", cs + "/sources", "{\"name\":\"Sample\",\"sourceType\":\"sample-data\","
                + "\"configuration\":{\"seed\":5,\"rows\":20000}}"), "sourceId");
        String destination = warehouse(stack, "scale");
        List<String> connections = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            connections.add(created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source + "\",\"destinationId\":\""
                    + destination + "\",\"prefix\":\"c" + i + "_\"}"), "connectionId"));
        }
        for (String c : connections) {
            awaitDiscovered(c);
        }
        Thread.sleep(1000);
        for (String c : connections) {
            assertThat(call("POST", cs + "/connections/" + c + "/sync", null).status()).isEqualTo(202);
        }
        for (String c : connections) {
            poll("one sync of " + c, Duration.ofSeconds(180), () -> jobs(ss, c), j -> j.size() == 1
                    && j.path(0).path("status").asText().equals("succeeded"));
        }
        // at most syncline.sync.max-concurrent (4) attempts at once per instance: never more than 8 of the 20 queued
        // together. Attempts, not jobs: a job whose attempt failed waits for its retry without holding a slot.
        List<long[]> spans = new ArrayList<>();
        for (String c : connections) {
            JsonNode j = call("GET", ss + "/jobs/" + jobs(ss, c).path(0).path("jobId").asText(), null).body();
            for (JsonNode a : j.path("attempts")) {
                spans.add(new long[] {java.time.OffsetDateTime.parse(a.path("startedAt").asText()).toInstant().toEpochMilli(),
                        java.time.OffsetDateTime.parse(a.path("endedAt").asText()).toInstant().toEpochMilli()});
            }
            if (j.path("attempts").size() > 1) {
                System.out.printf("[scale-out] job %s took %d attempts: %s%n", j.path("jobId").asText(), j.path("attempts").size(),
                        j.path("attempts"));
            }
        }
        int most = 0;
        for (long[] a : spans) {
            int at = 0;
            for (long[] b : spans) {
                at += b[0] <= a[0] && a[0] < b[1] ? 1 : 0;
            }
            most = Math.max(most, at);
        }
        System.out.printf("[scale-out] at most %d of the 20 syncs ran at once (2 instances, 4 each)%n", most);
        assertThat(most).isBetween(1, 8);
        long ranHere = Files.readAllLines(stack.process(Service.SYNC).log()).stream().filter(l -> l.contains("succeeded:")).count();
        long ranThere = Files.readAllLines(stack.dir().resolve("logs").resolve("sync-service-2.log")).stream()
                .filter(l -> l.contains("succeeded:")).count();
        System.out.printf("[scale-out] first round: %d jobs on instance 1, %d on instance 2%n", ranHere, ranThere);
        assertThat(ranHere).isPositive();
        assertThat(ranThere).isPositive();

        // second round: the second instance dies while it runs jobs; the first runs them, each exactly once
        for (String c : connections) {
            assertThat(call("POST", cs + "/connections/" + c + "/sync", null).status()).isEqualTo(202);
        }
        Thread.sleep(1500);
        stack.killInstance(second);
        for (String c : connections) {
            JsonNode j = poll("second sync of " + c, Duration.ofSeconds(240), () -> jobs(ss, c), l -> l.size() == 2
                    && List.of("succeeded", "failed").contains(l.path(0).path("status").asText()));
            assertThat(j.path(0).path("status").asText()).as(j.toString()).isEqualTo("succeeded");
            assertThat(query(Stack.WAREHOUSE, "select count(*) from scale.c" + connections.indexOf(c) + "_users")).isEqualTo(20_000);
        }
    }
}
