package dev.syncline.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.events.ClearRequested;
import dev.syncline.events.ConfiguredCatalog;
import dev.syncline.events.ConfiguredStream;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.RecordsRejected;
import dev.syncline.events.RefreshRequested;
import dev.syncline.events.SourceConfigured;
import dev.syncline.events.SyncCancelRequested;
import dev.syncline.events.SyncCancelled;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncRequested;
import dev.syncline.events.SyncStarted;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.infra.FreePorts;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sync engine loses and mixes nothing (issue 17): a failed start does not leave a job running for ever, a running
 * job's counts grow, a job starts once however many attempts it takes, every row carries its stream's generation, and
 * what an Airbyte protocol source sends (a stream it should not, a broken line, a GLOBAL state) is neither dropped
 * nor blamed on the destination.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "sync"))
class SyncIntegrityTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool db;

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    PostgresServer pg() {
        return InfrastructureResource.infrastructure().postgres();
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** A postgres destination into {@code database} on {@code port}. */
    void destination(String destinationId, String database, int port) {
        ObjectNode config = JSON.createObjectNode().put("host", "127.0.0.1").put("port", port).put("database", database)
                .put("username", PostgresServer.USER).put("password", pg().password()).put("schema", "public");
        events().send(Topics.ACTORS, destinationId, DestinationConfigured.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setActorId(destinationId).setName("Warehouse").setConnectorType("postgres")
                .setConfig(config.toString()).setVersion(1).build());
    }

    void source(String sourceId, String type, JsonNode config) {
        events().send(Topics.ACTORS, sourceId, SourceConfigured.newBuilder().setEventId(id()).setOccurredAt(Instant.now())
                .setActorId(sourceId).setName(type).setConnectorType(type).setConfig(config.toString()).setVersion(1).build());
    }

    /** A sample-data source of {@code rows} users into a new connection to {@code database}; returns its id. */
    String sampleConnection(long rows, String database, int port, String syncMode, String destinationSyncMode) {
        String connectionId = id();
        String src = id();
        String dst = id();
        source(src, "sample-data", JSON.createObjectNode().put("seed", 3).put("rows", rows));
        destination(dst, database, port);
        events().send(Topics.CONNECTIONS, connectionId, SyncEngineTest.connection(connectionId, src, dst,
                SyncEngineTest.manual(), syncMode, destinationSyncMode));
        return connectionId;
    }

    /**
     * An airbyte-process source whose command prints {@code lines} when it reads (and keeps the state file it is given
     * in {@code received}), syncing its one stream {@code countries} (id, name) into a new connection; returns its id.
     */
    String replayConnection(List<String> lines, String malformed, Path received, String database) throws Exception {
        Path out = Files.createTempFile("replay-", ".jsonl");
        Files.write(out, lines);
        String script = "for a; do if [ \"$prev\" = --state ]; then cp \"$a\" '" + received + "'; fi; prev=$a; done; cat '"
                + out + "'";
        ObjectNode config = JSON.createObjectNode().put("malformed_records", malformed);
        config.putArray("command").add("sh").add("-c").add(script).add("replay");
        String connectionId = id();
        String src = id();
        String dst = id();
        source(src, "airbyte-process", config);
        destination(dst, database, pg().port());
        List<FieldDescriptor> fields = new ArrayList<>();
        fields.add(FieldDescriptor.newBuilder().setPath(List.of("id")).setType("integer").setNullable(false).build());
        fields.add(FieldDescriptor.newBuilder().setPath(List.of("name")).setType("string").setNullable(true).build());
        ConfiguredStream countries = ConfiguredStream.newBuilder().setName("countries").setSyncMode("incremental")
                .setDestinationSyncMode("append").setCursorField(List.of("id")).setFields(fields).build();
        ConnectionConfiguration cfg = ConnectionConfiguration.newBuilder().setName("Replay → Warehouse")
                .setSourceId(src).setDestinationId(dst).setStatus("active").setSchedule(SyncEngineTest.manual())
                .setNamespaceDefinition("destination").setPrefix("")
                .setConfiguredCatalog(ConfiguredCatalog.newBuilder().setStreams(List.of(countries)).build()).setVersion(2).build();
        events().send(Topics.CONNECTIONS, connectionId, ConnectionCreated.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setConfiguration(cfg).build());
        return connectionId;
    }

    void sync(String connectionId) {
        events().send(Topics.SYNC_COMMANDS, connectionId, SyncRequested.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setRequestId(id()).build());
    }

    List<SyncSucceeded> succeeded(String connectionId, int n) {
        return events().await(Topics.SYNC_EVENTS, SyncSucceeded.class, e -> e.getConnectionId().equals(connectionId), n, WAIT);
    }

    List<Long> generations(String database) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = pg().connect(database); ResultSet rs = c.createStatement().executeQuery(
                "select distinct _syncline_generation_id from public.users order by 1")) {
            while (rs.next()) {
                out.add(rs.getObject(1) == null ? null : rs.getLong(1));
            }
        }
        return out;
    }

    void sql(String statement) {
        db.query(statement).execute().await().indefinitely();
    }

    @Test
    void aStartThatCouldNotBeRecordedLeavesNoJobRunningForEverAndTheConnectionSyncsAgain() throws Exception {
        String database = InfrastructureResource.newDatabase("startfails");
        String connectionId = sampleConnection(20, database, pg().port(), "full_refresh", "overwrite");
        // this connection's SyncStarted cannot be stored (as when the service's PostgreSQL is away at that moment);
        // a sequence, which no rollback undoes, counts the refusals
        String tag = connectionId.replace("-", "");
        sql("create sequence refused_" + tag);
        sql("create function refuse_" + tag + "() returns trigger language plpgsql as $$ begin perform nextval('refused_"
                + tag + "'); raise exception 'the database is away'; end $$");
        sql("create trigger refuse_" + tag + " before insert on outbox_event for each row when (new.message_key = '"
                + connectionId + "' and new.event_type = 'dev.syncline.events.SyncStarted') execute function refuse_" + tag + "()");
        try {
            sync(connectionId);
            await().atMost(WAIT).until(() -> db.query("select is_called from refused_" + tag).execute().await().indefinitely()
                    .iterator().next().getBoolean(0));
        } finally {
            sql("drop trigger refuse_" + tag + " on outbox_event");
            sql("drop function refuse_" + tag + "()");
            sql("drop sequence refused_" + tag);
        }
        // the database is back: the job runs (it was retried, not left running for ever), and so does the next one
        SyncSucceeded first = succeeded(connectionId, 1).getFirst();
        given().get("/jobs/" + first.getJobId()).then().statusCode(200).body("status", equalTo("succeeded"));
        sync(connectionId);
        assertThat(succeeded(connectionId, 2).get(1).getJobId()).isNotEqualTo(first.getJobId());
    }

    @Test
    void aRunningJobsCountsGrowWhileItRuns() {
        String database = InfrastructureResource.newDatabase("running");
        String connectionId = sampleConnection(50_000_000, database, pg().port(), "full_refresh", "overwrite");
        sync(connectionId);
        // seen running with records read: the counts do not wait for the end
        await().atMost(WAIT).until(() -> {
            JsonPath jobs = given().get("/connections/" + connectionId + "/jobs").then().statusCode(200).extract().jsonPath();
            return "running".equals(jobs.getString("[0].status")) && jobs.getLong("[0].recordsRead") > 0;
        });
        long jobId = given().get("/connections/" + connectionId + "/jobs").then().extract().jsonPath().getLong("[0].jobId");
        JsonPath job = given().get("/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
        assertThat(job.getLong("recordsRead")).isPositive();
        assertThat(job.getLong("attempts[0].recordsRead")).isPositive();
        assertThat(job.getList("streams")).isNotEmpty();
        events().send(Topics.SYNC_COMMANDS, connectionId, SyncCancelRequested.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setRequestId(id()).setRequestedBy("user").build());
        events().awaitOne(Topics.SYNC_EVENTS, SyncCancelled.class, e -> e.getConnectionId().equals(connectionId));
    }

    /**
     * Issue 23, item 1: a full refresh | overwrite whose attempt fails part way (its source's connections cut) is
     * retried from the ranges its destination acknowledged: the retry reads fewer rows than the table holds, and the
     * final table has every row once.
     */
    @Test
    void aFullRefreshRetryReadsOnFromTheRangesItsFailedAttemptFinished() throws Exception {
        String srcDb = InfrastructureResource.newDatabase("rfr_src");
        String dstDb = InfrastructureResource.newDatabase("rfr_dst");
        try (Connection c = pg().connect(srcDb); java.sql.Statement st = c.createStatement()) {
            st.execute("create table public.users (id bigint primary key, name text, email text, updated_at timestamptz)");
            st.execute("insert into public.users select i, 'user ' || i, 'u' || i || '@example.com', "
                    + "timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' from generate_series(1, 500000) i");
            st.execute("vacuum analyze public.users");
        }
        String connectionId = id();
        String src = id();
        String dst = id();
        ObjectNode config = JSON.createObjectNode().put("host", "127.0.0.1").put("port", pg().port()).put("database", srcDb)
                .put("username", PostgresServer.USER).put("password", pg().password()).put("chunk_pages", 20)
                .put("readers_per_table", 2).put("checkpoint_seconds", 0);
        config.putArray("schemas").add("public");
        source(src, "postgres", config);
        destination(dst, dstDb, pg().port());
        ConnectionCreated created = SyncEngineTest.connection(connectionId, src, dst, SyncEngineTest.manual(), "full_refresh",
                "overwrite");
        created.getConfiguration().getConfiguredCatalog().getStreams().getFirst().setNamespace("public");
        events().send(Topics.CONNECTIONS, connectionId, created);
        sync(connectionId);
        // once a few ranges are acknowledged (their state stored with the job), the source's connections are cut
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            var rows = db.preparedQuery("select state from stream_state where connection_id = $1 and stream = 'public.users'")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(connectionId))).await().indefinitely();
            return rows.size() == 1 && JSON.readTree(rows.iterator().next().getString(0)).path("ctid_ranges")
                    .path("next_range").asLong() >= 5;
        });
        try (Connection c = pg().connect("postgres"); java.sql.Statement st = c.createStatement()) {
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + srcDb + "'");
        }
        SyncSucceeded ok = succeeded(connectionId, 1).getFirst();
        assertThat(ok.getAttempt()).as("the sync succeeded in its second attempt").isEqualTo(2);
        JsonPath job = given().get("/jobs/" + ok.getJobId()).then().statusCode(200).extract().jsonPath();
        System.out.printf("[full refresh retry] attempt 1 read %d rows, attempt 2 read %d of 500000%n",
                job.getLong("attempts[0].recordsRead"), job.getLong("attempts[1].recordsRead"));
        assertThat(job.getLong("attempts[0].recordsRead")).isPositive();
        assertThat(job.getLong("attempts[1].recordsRead")).as("the retry read on from the last range acknowledged")
                .isPositive().isLessThan(500_000L);
        assertThat(given().get("/jobs/" + ok.getJobId() + "/logs").then().statusCode(200).extract().jsonPath()
                .getList("message", String.class)).anyMatch(m -> m.contains("stream public.users resumes from the last checkpoint"));
        try (Connection c = pg().connect(dstDb); ResultSet rs = c.createStatement().executeQuery(
                "select count(*), count(distinct id), sum(id) from public.users")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(500_000L, 500_000L,
                    500_000L * 500_001 / 2);
        }
    }

    /**
     * A connection event applied while a scheduler tick holds the connection's row (and writes when it last fired)
     * keeps what the tick wrote: a whole-row update from a copy read before the tick committed put the old value back,
     * and the connection's set-up sync fired a second time (a browser walk's "Sync now" then merged into it).
     */
    @Test
    void aConnectionEventAppliedDuringASchedulerTickKeepsWhenTheConnectionLastFired() throws Exception {
        // a manual connection: the real scheduler leaves it alone, and the test plays the tick
        String connectionId = id();
        ConnectionCreated created = SyncEngineTest.connection(connectionId, id(), id(), SyncEngineTest.manual(),
                "full_refresh", "overwrite");
        events().send(Topics.CONNECTIONS, connectionId, created);
        await().atMost(WAIT).until(() -> db.preparedQuery("select 1 from connection where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(connectionId))).await().indefinitely()
                .iterator().hasNext());
        io.vertx.mutiny.sqlclient.SqlConnection tick = db.getConnection().await().indefinitely();
        try {
            io.vertx.mutiny.sqlclient.Transaction tx = tick.begin().await().indefinitely();
            tick.query("select * from connection where id = '" + connectionId + "' for update").execute().await().indefinitely();
            tick.query("update connection set last_scheduled_for = timestamptz '2026-01-02 03:04:05+00' where id = '"
                    + connectionId + "'").execute().await().indefinitely();
            // the next configuration arrives while the tick holds the row
            ConnectionConfiguration next = ConnectionConfiguration.newBuilder(created.getConfiguration())
                    .setName("Renamed").setVersion(3).build();
            events().send(Topics.CONNECTIONS, connectionId, dev.syncline.events.ConnectionUpdated.newBuilder().setEventId(id())
                    .setOccurredAt(Instant.now()).setConnectionId(connectionId).setConfiguration(next).build());
            Thread.sleep(2000); // the consumer reads the row meanwhile (or waits for it)
            tx.commit().await().indefinitely();
        } finally {
            tick.close().await().indefinitely();
        }
        await().atMost(WAIT).until(() -> db.preparedQuery("select version from connection where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(connectionId))).await().indefinitely()
                .iterator().next().getLong(0) == 3);
        var row = db.preparedQuery("select last_scheduled_for from connection where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(connectionId))).await().indefinitely()
                .iterator().next();
        assertThat(row.getOffsetDateTime(0)).isNotNull();
        assertThat(row.getOffsetDateTime(0).toInstant()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void aJobStartsOnceHoweverManyAttemptsItTakes() {
        // nothing listens there: each attempt fails (transient) and the job is tried again (2 attempts in tests)
        String connectionId = sampleConnection(10, "nowhere", FreePorts.pick(), "full_refresh", "overwrite");
        sync(connectionId);
        SyncFailed failed = events().awaitOne(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(connectionId));
        assertThat(failed.getAttempt()).isEqualTo(2);
        // events of a connection keep their order: every SyncStarted of the job is on the topic before its SyncFailed
        assertThat(events().readAll(Topics.SYNC_EVENTS, SyncStarted.class, e -> e.getJobId() == failed.getJobId()))
                .singleElement().satisfies(e -> assertThat(e.getAttempt()).isEqualTo(1));
    }

    @Test
    void clearsAndRefreshesMakeANewGenerationThatEveryRowCarries() throws Exception {
        String database = InfrastructureResource.newDatabase("generations");
        String connectionId = sampleConnection(20, database, pg().port(), "incremental", "append_dedup");
        sync(connectionId);
        succeeded(connectionId, 1);
        assertThat(generations(database)).containsExactly(0L);

        events().send(Topics.SYNC_COMMANDS, connectionId, RefreshRequested.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setRequestId(id()).setRequestedBy("user")
                .setStreams(List.of()).setMode("retain").build());
        succeeded(connectionId, 2);
        assertThat(generations(database)).containsExactly(1L);

        events().send(Topics.SYNC_COMMANDS, connectionId, ClearRequested.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setRequestId(id()).setRequestedBy("user")
                .setStreams(List.of()).build());
        succeeded(connectionId, 3);
        sync(connectionId);
        succeeded(connectionId, 4);
        // the clear made generation 2; the sync after it writes in it
        assertThat(generations(database)).containsExactly(2L);
    }

    @Test
    void aSourceSendingAStreamTheConnectionDoesNotSyncFailsAtOnceAsASourceConfigError() throws Exception {
        String connectionId = replayConnection(List.of(
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"cities\",\"emitted_at\":0,\"data\":{\"id\":1}}}"), "fail",
                Files.createTempFile("state-", ".json"), InfrastructureResource.newDatabase("unknownstream"));
        sync(connectionId);
        SyncFailed failed = events().awaitOne(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(connectionId));
        assertThat(failed.getAttempt()).isEqualTo(1);
        assertThat(failed.getFailureOrigin()).isEqualTo("source");
        assertThat(failed.getFailureType()).isEqualTo("config_error");
        assertThat(failed.getRetryable()).isFalse();
        assertThat(failed.getMessage()).contains("stream cities");
    }

    @Test
    void aBrokenLineKeptAsARejectedRecordReachesRejectsAndTheSyncGoesOn() throws Exception {
        String broken = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"data\":{\"id\":2,\"name\":\"Ger";
        String connectionId = replayConnection(List.of(
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":0,\"data\":{\"id\":1,\"name\":\"France\"}}}",
                broken), "reject", Files.createTempFile("state-", ".json"), InfrastructureResource.newDatabase("brokenline"));
        sync(connectionId);
        SyncSucceeded done = succeeded(connectionId, 1).getFirst();
        assertThat(done.getStreams()).singleElement().satisfies(s -> {
            assertThat(s.getRecordsRead()).isEqualTo(2);
            assertThat(s.getRecordsRejected()).isEqualTo(1);
        });
        RecordsRejected rejected = events().awaitOne(Topics.RECORDS_REJECTED, RecordsRejected.class,
                e -> e.getConnectionId().equals(connectionId));
        assertThat(rejected.getRejections()).singleElement().satisfies(r -> {
            assertThat(r.getStream()).isEqualTo("countries");
            assertThat(JSON.readTree(r.getRecord()).path("text").asText()).isEqualTo(broken);
            assertThat(r.getReasons().getFirst().getCode()).isEqualTo("INVALID_FORMAT");
        });
    }

    @Test
    void aGlobalStateIsKeptAndGivenBackToTheSourceAsItCame() throws Exception {
        String global = "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":4242},\"stream_states\":[{"
                + "\"stream_descriptor\":{\"name\":\"countries\"},\"stream_state\":{\"cursor\":1}}]}}";
        Path received = Files.createTempFile("state-", ".json");
        String connectionId = replayConnection(List.of(
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":0,\"data\":{\"id\":1,\"name\":\"France\"}}}",
                "{\"type\":\"STATE\",\"state\":" + global + "}"), "fail", received, InfrastructureResource.newDatabase("global"));
        sync(connectionId);
        succeeded(connectionId, 1);
        sync(connectionId);
        succeeded(connectionId, 2);
        assertThat(JSON.readTree(received.toFile())).isEqualTo(JSON.createArrayNode().add(JSON.readTree(global)));
    }
}
