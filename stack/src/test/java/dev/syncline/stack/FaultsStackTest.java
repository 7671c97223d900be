package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.syncline.events.Topics;
import dev.syncline.infra.FreePorts;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.EventClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on the real stack, loopback only, each bounded in time: the broker away for 30 s, the registry away, the
 * services' PostgreSQL restarted, a destination database restarted mid-sync, and kill -9 of every service in turn.
 * Each asserts that nothing was lost, and nothing applied twice where the sync mode promises it. Then what the
 * launcher does about a crash: a service started again by itself, {@code ./syncline restart} of a service and of a
 * killed PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsStackTest {
    static Stack stack;
    static String cs;
    static String ss;
    static String rj;
    /** A destination database of the test's own, to restart without touching the services' own. */
    static PostgresServer destinationPg;

    @BeforeAll
    static void start() throws Exception {
        stack = StackUnderTest.start("faults", 1);
        cs = stack.url(Service.CONNECTION);
        ss = stack.url(Service.SYNC);
        rj = stack.url(Service.REJECTS);
        destinationPg = PostgresServer.start(stack.dir().resolve("destination-pg"), FreePorts.pick(), true);
    }

    @AfterAll
    static void stop() {
        if (destinationPg != null) {
            destinationPg.close();
        }
        StackUnderTest.stop(stack);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    /** A REST call that must answer, and answer within {@code limit}: none hangs while a server it needs is away. */
    static EndToEndTest.Reply timed(String method, String url, String body, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        EndToEndTest.Reply r = call(method, url, body);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("%s %s answered %d in %d ms", method, url, r.status(), ms).isLessThan(limit.toMillis());
        return r;
    }

    static long query(PostgresServer pg, String database, String sql) throws Exception {
        try (Connection c = pg.connect(database); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void sql(PostgresServer pg, String database, String... statements) throws Exception {
        try (Connection c = pg.connect(database)) {
            for (String s : statements) {
                c.createStatement().execute(s);
            }
        }
    }

    static JsonNode jobs(String connection) throws Exception {
        return call("GET", ss + "/connections/" + connection + "/jobs", null).body();
    }

    static JsonNode awaitJobDone(String connection, int jobs, Duration timeout) throws Exception {
        return poll("job " + jobs + " of " + connection + " done", timeout, () -> jobs(connection),
                j -> j.size() >= jobs && List.of("succeeded", "failed", "cancelled").contains(j.path(0).path("status").asText()))
                .path(0);
    }

    static void awaitRunning(String connection) throws Exception {
        poll("job running", Duration.ofSeconds(120), () -> jobs(connection).path(0),
                j -> List.of("running", "succeeded").contains(j.path("status").asText()));
    }

    static long rejectedTotal(String connection) throws Exception {
        return call("GET", rj + "/rejected-records/counts?connectionId=" + connection, null).body().path("total").asLong(-1);
    }

    /**
     * {@code rows} people in a source database, every tenth without an email, upserted by id into an application's
     * contacts (email required): rows/10 rejected records per sync. Returns the connection id.
     */
    static String activation(String name, int rows) throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase(name + "_src");
        sql(pg, name + "_src", "create table people (id bigint primary key, email text, full_name text not null, "
                + "updated_at timestamptz not null)", "insert into people select i, case when i % 10 = 0 then null else 'p' || i "
                + "|| '@example.com' end, 'Person ' || i, timestamptz '2026-01-01' + i * interval '1 second' "
                + "from generate_series(1, " + rows + ") i");
        pg.createDatabase(name + "_app");
        sql(pg, name + "_app", "create table contacts (id bigint primary key, email text not null, name text not null)");
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"" + name + " source\","
                + "\"sourceType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\""
                + name + "_src\"," + pg.superuser().configMembers() + "}}"), "sourceId");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":\"" + name + " app\","
                + "\"destinationType\":\"postgres-table\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port()
                + ",\"database\":\"" + name + "_app\"," + pg.superuser().configMembers() + ",\"schema\":\"public\"}}"),
                "destinationId");
        String body = "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\",\"name\":\"" + name + "\","
                + "\"mappings\":[{\"namespace\":\"public\",\"stream\":\"people\",\"destinationObject\":\"contacts\","
                + "\"insertionMethod\":\"upsert\",\"matchingKey\":[\"id\"],\"syncMode\":\"incremental\",\"cursorField\":[\"updated_at\"],"
                + "\"fields\":[{\"source\":[\"id\"],\"destination\":\"id\"},{\"source\":[\"email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"full_name\"],\"destination\":\"name\"}]}]}";
        JsonNode created = poll("activation connection " + name + " created", Duration.ofSeconds(120), () -> {
            EndToEndTest.Reply r = call("POST", cs + "/connections", body);
            return r.status() == 201 ? r.body() : MissingNode.getInstance();
        }, n -> !n.isMissingNode());
        Thread.sleep(1000); // sync-service takes the connection from syncline.connections
        return created.path("connectionId").asText();
    }

    /** An ELT connection from the stack's own PostgreSQL (table {@code table} of {@code database}) into the test's destination. */
    static String elt(String database, String table, String schema) throws Exception {
        var pg = stack.infrastructure().postgres();
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"" + database + "\","
                + "\"sourceType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\""
                + database + "\"," + pg.superuser().configMembers() + "}}"), "sourceId");
        destinationPg.createDatabase("dest");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":\"Restartable " + schema
                + "\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + destinationPg.port()
                + ",\"database\":\"dest\"," + destinationPg.superuser().configMembers() + ",\"schema\":\"" + schema + "\"}}"),
                "destinationId");
        String connection = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\"}"), "connectionId");
        EndToEndTest.discovered("schema discovered", cs + "/connections/" + connection + "/catalog", Duration.ofSeconds(120));
        EndToEndTest.Reply configured = call("PATCH", cs + "/connections/" + connection, "{\"streams\":[{\"namespace\":\"public\","
                + "\"name\":\"" + table + "\",\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append_dedup\","
                + "\"cursorField\":[\"updated_at\"],\"primaryKey\":[[\"id\"]]}]}");
        assertThat(configured.status()).as(configured.body().toString()).isEqualTo(200);
        Thread.sleep(1000);
        return connection;
    }

    /** Nothing waits in any service's outbox, and nothing was set aside as unsendable. */
    static void outboxesDrained() throws Exception {
        for (Service s : List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
            poll(s.module() + "'s outbox drained", Duration.ofSeconds(120), () -> com.fasterxml.jackson.databind.node.LongNode
                    .valueOf(query(stack.infrastructure().postgres(), s.database(), "select count(*) from outbox_event")),
                    n -> n.asLong() == 0);
            assertThat(query(stack.infrastructure().postgres(), s.database(), "select count(*) from outbox_parked"))
                    .as(s.module() + " parked events").isZero();
        }
    }

    /** The timeline's entries of {@code kind} for {@code connection}. */
    static long timeline(String connection, String kind) throws Exception {
        return query(stack.infrastructure().postgres(), Service.CONNECTION.database(),
                "select count(*) from timeline_event where connection_id = '" + connection + "' and kind = '" + kind + "'");
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theBrokerStoppedFor30sDuringASyncWithRejectionsAndDuringSetupLosesNothing() throws Exception {
        String connection = activation("kafka_away", 200_000);
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        awaitRunning(connection);
        long stopped = System.nanoTime();
        stack.infrastructure().stopKafka();
        System.out.printf("[faults] broker stopped while the sync runs (%s)%n", jobs(connection).path(0).path("status").asText());

        // connection setup while the broker is away: every request answers at once, its events wait in the outbox
        Duration limit = Duration.ofSeconds(5);
        String source = SyncEngineStackTest.created(timed("POST", cs + "/sources", "{\"name\":\"Set up without a broker\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":11,\"rows\":500}}", limit), "sourceId");
        String destination = SyncEngineStackTest.created(timed("POST", cs + "/destinations", "{\"name\":\"No broker warehouse\","
                + "\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":"
                + stack.infrastructure().postgres().port() + ",\"database\":\"" + Stack.WAREHOUSE + "\","
                + stack.warehouse().configMembers() + ",\"schema\":\"no_broker\"}}", limit), "destinationId");
        String later = SyncEngineStackTest.created(timed("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\"}", limit), "connectionId");
        assertThat(timed("POST", cs + "/tags", "{\"name\":\"no-broker\",\"color\":\"#000000\"}", limit).status()).isEqualTo(201);
        assertThat(timed("GET", ss + "/connections/" + connection + "/jobs", null, limit).status()).isEqualTo(200);
        assertThat(timed("GET", rj + "/rejected-records/counts?connectionId=" + connection, null, limit).status()).isEqualTo(200);
        assertThat(timed("GET", stack.url(Service.SCHEMA) + "/sources/" + source + "/catalog", null, limit).status())
                .isLessThan(500);
        long waited = Duration.ofSeconds(30).toMillis() - (System.nanoTime() - stopped) / 1_000_000;
        if (waited > 0) {
            Thread.sleep(waited);
        }
        stack.infrastructure().startKafka();
        System.out.printf("[faults] broker back after %d s%n", (System.nanoTime() - stopped) / 1_000_000_000L);

        JsonNode job = awaitJobDone(connection, 1, Duration.ofSeconds(240));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        long rejected = job.at("/streams/0/recordsRejected").asLong();
        assertThat(rejected).isEqualTo(20_000);
        // every rejected record reached rejects-service, once
        poll("all 20,000 rejected records stored", Duration.ofSeconds(180),
                () -> com.fasterxml.jackson.databind.node.LongNode.valueOf(rejectedTotal(connection)), n -> n.asLong() >= rejected);
        Thread.sleep(2000);
        assertThat(rejectedTotal(connection)).isEqualTo(rejected);
        assertThat(query(stack.infrastructure().postgres(), "kafka_away_app", "select count(*) from contacts")).isEqualTo(180_000);
        // the setup made while the broker was away took effect: discovered, synced
        EndToEndTest.discovered("the source set up without a broker is discovered", cs + "/connections/" + later + "/catalog", Duration.ofSeconds(120));
        assertThat(call("POST", cs + "/connections/" + later + "/sync", null).status()).isEqualTo(202);
        assertThat(awaitJobDone(later, 1, Duration.ofSeconds(120)).path("status").asText()).isEqualTo("succeeded");
        poll("the job on the timeline", Duration.ofSeconds(60), () -> com.fasterxml.jackson.databind.node.LongNode
                .valueOf(timeline(connection, "sync_succeeded")), n -> n.asLong() >= 1);
        assertThat(timeline(connection, "sync_succeeded")).isEqualTo(1);
        outboxesDrained();
    }

    @Test
    @Order(2)
    void theRegistryStoppedProducersAndConsumersRecoverWhenItReturnsAndNothingGoesToADeadLetterTopic() throws Exception {
        stack.infrastructure().stopRegistry();
        long stopped = System.nanoTime();
        // a schema-service with nothing cached: it has to ask the registry for every schema it reads and writes
        stack.restart(Service.SCHEMA);
        String source = SyncEngineStackTest.created(timed("POST", cs + "/sources", "{\"name\":\"Set up without a registry\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":12,\"rows\":100}}", Duration.ofSeconds(5)), "sourceId");
        Thread.sleep(Math.max(0, Duration.ofSeconds(20).toMillis() - (System.nanoTime() - stopped) / 1_000_000));
        assertThat(call("GET", cs + "/sources/" + source + "/catalog", null).body().path("status").asText())
                .as("not discovered while the registry is away").isNotEqualTo("discovered");
        stack.infrastructure().startRegistry();
        System.out.printf("[faults] registry back after %d s%n", (System.nanoTime() - stopped) / 1_000_000_000L);
        EndToEndTest.discovered("discovered once the registry is back", cs + "/sources/" + source + "/catalog", Duration.ofSeconds(180));
        EventClient events = EventClient.of(stack.infrastructure());
        for (String topic : List.of(Topics.ACTORS, Topics.SCHEMA_REQUESTS, Topics.SCHEMAS)) {
            assertThat(events.readRaw(Topics.dlq(topic))).as(topic + ".dlq").noneMatch(r -> source.equals(r.key()));
        }
        outboxesDrained();
    }

    @Test
    @Order(3)
    void theServicesPostgresRestartedDuringTheirWorkIsRecoveredWithoutRestartingThem() throws Exception {
        var pg = stack.infrastructure().postgres();
        Map<Service, Long> pids = stack.servicePids();
        pg.createDatabase("pg_restart_src");
        sql(pg, "pg_restart_src", "create table orders (id bigint primary key, amount numeric, updated_at timestamptz not null)",
                "insert into orders select i, i * 1.5, timestamptz '2026-01-01' + i * interval '1 second' "
                        + "from generate_series(1, 300000) i");
        String connection = elt("pg_restart_src", "orders", "restart_pg");
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        awaitRunning(connection);
        // an event that arrives while the consumers' database is away: they hold it, not the dead-letter topic (made
        // now: the registry keeps its schemas in the same PostgreSQL)
        String lateKey = dev.syncline.apikeys.ApiKeys.generate();
        String lateKeyId = UUID.randomUUID().toString();
        EventClient events = EventClient.of(stack.infrastructure());
        byte[] late = events.serialize(Topics.API_KEYS, dev.syncline.events.ApiKeyIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(java.time.Instant.now()).setKeyId(lateKeyId)
                .setName("issued while PostgreSQL was away").setPrefix(lateKey.substring(0, 12))
                .setKeyHash(dev.syncline.apikeys.ApiKeys.hash(lateKey)).setRole("viewer")
                .setCreatedAt(java.time.Instant.now()).setExpiresAt(null).build());
        stack.infrastructure().stopPostgres();
        System.out.println("[faults] the services' PostgreSQL stopped while a sync runs");
        events.sendRaw(Topics.API_KEYS, lateKeyId, late);
        // while it is away, requests are refused at once with 503 problem+json: none hangs, none is a 500
        for (String url : List.of(cs + "/sources", ss + "/jobs", rj + "/rejected-records/counts")) {
            EndToEndTest.Reply r = timed("GET", url, null, Duration.ofSeconds(15));
            assertThat(r.status()).as(url + " " + r.body()).isEqualTo(503);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        Thread.sleep(5000);
        stack.infrastructure().startPostgres();
        System.out.println("[faults] PostgreSQL back");
        // the same processes serve again, and the sync ends well (its attempt retried if the restart failed it)
        for (Service s : List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
            poll(s.module() + " answering again", Duration.ofSeconds(60), () -> com.fasterxml.jackson.databind.node.IntNode
                    .valueOf(call("GET", stack.url(s) + "/q/health", null).status()), n -> n.asInt() == 200);
        }
        assertThat(stack.servicePids()).isEqualTo(pids);
        for (Service s : List.of(Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
            poll(s.module() + " applied the key that arrived during the restart", Duration.ofSeconds(120), () ->
                    com.fasterxml.jackson.databind.node.IntNode.valueOf(HardeningStackTest.get(stack.url(s) + "/q/health", lateKey)),
                    n -> n.asInt() == 200);
        }
        assertThat(EventClient.of(stack.infrastructure()).readRaw(Topics.dlq(Topics.API_KEYS)))
                .noneMatch(r -> lateKeyId.equals(r.key()));
        JsonNode job = awaitJobDone(connection, 1, Duration.ofSeconds(300));
        assertThat(job.path("status").asText()).as(call("GET", ss + "/jobs/" + job.path("jobId").asText(), null).body().toString())
                .isEqualTo("succeeded");
        assertThat(query(destinationPg, "dest", "select count(distinct id) from restart_pg.orders")).isEqualTo(300_000);
        assertThat(query(destinationPg, "dest", "select count(*) from restart_pg.orders")).isEqualTo(300_000);
        // and the consumers too: a source set up now is discovered
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"After the restart\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":13,\"rows\":10}}"), "sourceId");
        EndToEndTest.discovered("discovered after the restart", cs + "/sources/" + source + "/catalog", Duration.ofSeconds(120));
        outboxesDrained();
    }

    @Test
    @Order(4)
    void aDestinationRestartedMidSyncFailsTheAttemptAsTransientAndTheRetryResumesFromTheCheckpointToAnExactTable() throws Exception {
        int rows = 400_000;
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("dest_restart_src");
        sql(pg, "dest_restart_src", "create table contacts (id bigint primary key, name text not null, updated_at timestamptz not null)",
                "insert into contacts select i, 'contact ' || i, timestamptz '2026-01-01' + i * interval '1 second' "
                        + "from generate_series(1, " + rows + ") i");
        String connection = elt("dest_restart_src", "contacts", "dest_restart");
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        JsonNode checkpointed = poll("a checkpoint stored", Duration.ofSeconds(180),
                () -> call("GET", ss + "/connections/" + connection + "/streams/status", null).body().path(0),
                s -> s.hasNonNull("state") && !s.path("state").asText().isEmpty());
        destinationPg.close();
        System.out.printf("[faults] destination stopped after the checkpoint %s%n", checkpointed.path("state").asText());
        Thread.sleep(3000);
        destinationPg = PostgresServer.start(stack.dir().resolve("destination-pg"), destinationPg.port(), true);

        JsonNode job = awaitJobDone(connection, 1, Duration.ofSeconds(300));
        JsonNode detail = call("GET", ss + "/jobs/" + job.path("jobId").asText(), null).body();
        assertThat(job.path("status").asText()).as(detail.toString()).isEqualTo("succeeded");
        assertThat(detail.path("attempts").size()).as(detail.toString()).isGreaterThanOrEqualTo(2);
        assertThat(detail.at("/attempts/0/failure/type").asText()).as(detail.toString()).isEqualTo("transient_error");
        JsonNode last = detail.path("attempts").get(detail.path("attempts").size() - 1);
        assertThat(last.path("recordsRead").asLong()).as("the last attempt read on from the checkpoint").isLessThan(rows);
        assertThat(query(destinationPg, "dest", "select count(*) from dest_restart.contacts")).isEqualTo(rows);
        assertThat(query(destinationPg, "dest", "select count(distinct id) from dest_restart.contacts")).isEqualTo(rows);
        assertThat(query(destinationPg, "dest", "select count(*) from dest_restart.contacts where name = 'contact ' || id"))
                .isEqualTo(rows);
    }

    @Test
    @Order(5)
    void killMinus9OfEachServiceInTurnDuringActivityResumesWithNoEventAppliedTwice() throws Exception {
        String connection = activation("killed", 50_000);
        // rejects-service killed while rejected records pour in
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        poll("rejected records arriving", Duration.ofSeconds(120),
                () -> com.fasterxml.jackson.databind.node.LongNode.valueOf(rejectedTotal(connection)), n -> n.asLong() > 0);
        stack.kill(Service.REJECTS);
        System.out.println("[faults] rejects-service killed while rejected records arrive");
        stack.restart(Service.REJECTS);
        JsonNode first = awaitJobDone(connection, 1, Duration.ofSeconds(240));
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("succeeded");
        poll("5,000 rejected records, each once", Duration.ofSeconds(180),
                () -> com.fasterxml.jackson.databind.node.LongNode.valueOf(rejectedTotal(connection)), n -> n.asLong() >= 5_000);
        Thread.sleep(2000);
        assertThat(rejectedTotal(connection)).isEqualTo(5_000);

        // connection-service killed as the job's events arrive: its timeline has the job once
        stack.kill(Service.CONNECTION);
        System.out.println("[faults] connection-service killed");
        stack.restart(Service.CONNECTION);
        EndToEndTest.use(stack); // the console's session is the console's; the key still holds
        poll("the job on the timeline", Duration.ofSeconds(60), () -> com.fasterxml.jackson.databind.node.LongNode
                .valueOf(timeline(connection, "sync_succeeded")), n -> n.asLong() >= 1);
        assertThat(timeline(connection, "sync_succeeded")).isEqualTo(1);

        // sync-service killed mid-sync: the second sync resumes; no rejected record is counted twice
        sql(stack.infrastructure().postgres(), "killed_src", "update people set updated_at = updated_at + interval '1 year'");
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        awaitRunning(connection);
        stack.kill(Service.SYNC);
        System.out.println("[faults] sync-service killed mid-sync");
        stack.restart(Service.SYNC);
        JsonNode second = awaitJobDone(connection, 2, Duration.ofSeconds(300));
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
        assertThat(query(stack.infrastructure().postgres(), "killed_app", "select count(*) from contacts")).isEqualTo(45_000);
        Thread.sleep(3000);
        // the same 5,000 records refused again: each is one open rejected record (a newer rejection supersedes)
        JsonNode counts = call("GET", rj + "/rejected-records/counts?connectionId=" + connection + "&status=open", null).body();
        assertThat(counts.path("total").asLong()).as(counts.toString()).isEqualTo(5_000);

        // schema-service killed during a discovery: the discovery runs again when it is back
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"Discovered across a kill\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":14,\"rows\":10}}"), "sourceId");
        stack.kill(Service.SCHEMA);
        System.out.println("[faults] schema-service killed");
        stack.restart(Service.SCHEMA);
        EndToEndTest.discovered("discovered after the kill", cs + "/sources/" + source + "/catalog", Duration.ofSeconds(120));

        // the console killed: it keeps no state; a browser signs in again
        stack.kill(Service.CONSOLE);
        stack.restart(Service.CONSOLE);
        EndToEndTest.use(stack);
        assertThat(EndToEndTest.page(stack.url(Service.CONSOLE) + "/connections/" + connection)).contains("killed");
        outboxesDrained();
    }

    @Test
    @Order(6)
    void aServiceThatEndsOnItsOwnIsStartedAgainByTheLauncherWaitingLongerEachTimeInARow() throws Exception {
        // the console: the quickest to start of the five, watched by the same supervisor as the services
        List<String> said = new CopyOnWriteArrayList<>();
        stack.supervise(line -> {
            said.add(line);
            System.out.println("[faults] supervisor: " + line);
        }, () -> { });
        for (int crash = 1; crash <= 2; crash++) {
            long before = stack.servicePids().get(Service.CONSOLE);
            stack.kill(Service.CONSOLE);
            System.out.printf("[faults] console killed (%d)%n", crash);
            poll("the console started again by the launcher", Duration.ofSeconds(240), () -> com.fasterxml.jackson.databind.node
                    .BooleanNode.valueOf(!stack.servicePids().get(Service.CONSOLE).equals(before) && stack.healthy(Service.CONSOLE)),
                    JsonNode::asBoolean);
            // the second crash in a row waits twice as long: a service that cannot start does not spin
            String delay = crash == 1 ? "restarting it in 1 s (restart 1 in a row" : "restarting it in 2 s (restart 2 in a row";
            assertThat(said).anyMatch(l -> l.startsWith("console exited (code 137)") && l.contains(delay));
            // killed again only once the launcher has seen it ready too (answering health checks comes a moment
            // sooner: killed in between, the launcher rightly says it did not come up, and this one restart is lost)
            int ups = crash;
            poll("the launcher saw the console up (" + crash + ")", Duration.ofSeconds(60),
                    () -> com.fasterxml.jackson.databind.node.BooleanNode.valueOf(said.stream().filter(l -> l.startsWith(
                            "console is up again")).count() >= ups), JsonNode::asBoolean);
        }
        poll("the console said to be up again", Duration.ofSeconds(30),
                () -> com.fasterxml.jackson.databind.node.BooleanNode.valueOf(said.stream().filter(l -> l.startsWith(
                        "console is up again")).count() == 2), JsonNode::asBoolean);
        // and it works: it serves a signed-in page of this stack's connections again
        EndToEndTest.use(stack);
        assertThat(EndToEndTest.page(stack.url(Service.CONSOLE) + "/connections")).contains("Connections");
    }

    @Test
    @Order(7)
    void restartFromAnotherShellTakesAServiceAndAPostgresKilledMinus9BackWithoutDownAndUp() throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream shell = new PrintStream(said, true, StandardCharsets.UTF_8);
        try (ControlChannel launcher = ControlChannel.open(stack.dir(), (command, say) -> Launcher.run(stack, command, say))) {
            long rejects = stack.servicePids().get(Service.REJECTS);
            assertThat(ControlChannel.send(stack.dir(), "restart rejects-service", shell)).as(said.toString()).isZero();
            assertThat(said.toString()).contains("restarting rejects-service ...", "rejects-service restarted in");
            assertThat(stack.servicePids().get(Service.REJECTS)).isNotEqualTo(rejects);
            assertThat(call("GET", rj + "/rejected-records/counts", null).status()).isEqualTo(200);

            // PostgreSQL killed: the services answer 503 until it is back, and `restart postgres` brings it back
            long postmaster = stack.infrastructure().postgres().pid();
            ProcessHandle killed = ProcessHandle.of(postmaster).orElseThrow();
            killed.destroyForcibly();
            killed.onExit().get(30, TimeUnit.SECONDS);
            System.out.println("[faults] PostgreSQL killed -9");
            poll("the services notice", Duration.ofSeconds(60), () -> com.fasterxml.jackson.databind.node.IntNode
                    .valueOf(call("GET", cs + "/sources", null).status()), n -> n.asInt() == 503);
            Map<Service, Long> pids = stack.servicePids();
            said.reset();
            assertThat(ControlChannel.send(stack.dir(), "restart postgres", shell)).as(said.toString()).isZero();
            assertThat(stack.infrastructure().postgres().pid()).isPositive().isNotEqualTo(postmaster);
            assertThat(stack.servicePids()).isEqualTo(pids);
            String source = poll("connection-service serving again", Duration.ofSeconds(120), () -> call("POST", cs + "/sources",
                    "{\"name\":\"After restart postgres\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":16,\"rows\":10}}")
                    .body(), b -> b.hasNonNull("sourceId")).path("sourceId").asText();
            EndToEndTest.discovered("discovered after restart postgres", cs + "/sources/" + source + "/catalog", Duration.ofSeconds(120));

            said.reset();
            assertThat(ControlChannel.send(stack.dir(), "restart nothing", shell)).isEqualTo(1);
            assertThat(said.toString()).contains("failed: no component nothing (one of connection-service");
        }
        outboxesDrained();
    }
}
