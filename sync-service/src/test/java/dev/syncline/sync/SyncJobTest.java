package dev.syncline.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.syncline.events.ConfiguredCatalog;
import dev.syncline.events.ConfiguredStream;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.Schedule;
import dev.syncline.events.SourceConfigured;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncRequested;
import dev.syncline.events.SyncStarted;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.infra.PostgresServer;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "sync"))
class SyncJobTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    PostgresServer pg() {
        return InfrastructureResource.infrastructure().postgres();
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    void givenActors(String sourceId, String destinationId, String database, String password, long rows, long malformed) {
        SecretBox box = new SecretBox(InfrastructureResource.secretsKey());
        events().send(Topics.ACTORS, sourceId, SourceConfigured.newBuilder().setEventId(id()).setOccurredAt(Instant.now())
                .setActorId(sourceId).setName("Sample").setConnectorType("sample-data")
                .setConfig("{\"seed\":3,\"rows\":" + rows + ",\"malformed_rows\":" + malformed + "}").setVersion(1).build());
        events().send(Topics.ACTORS, destinationId, DestinationConfigured.newBuilder().setEventId(id())
                .setOccurredAt(Instant.now()).setActorId(destinationId).setName("Warehouse").setConnectorType("postgres")
                .setConfig("{\"host\":\"127.0.0.1\",\"port\":" + pg().port() + ",\"database\":\"" + database
                        + "\",\"username\":\"" + PostgresServer.USER + "\",\"password\":\"" + box.encrypt(password) + "\",\"schema\":\"public\"}")
                .setVersion(1).build());
    }

    ConnectionCreated connection(String connectionId, String sourceId, String destinationId) {
        List<FieldDescriptor> fields = new ArrayList<>();
        String[][] defs = {{"id", "integer"}, {"name", "string"}, {"email", "string"}, {"age", "integer"},
            {"score", "number"}, {"active", "boolean"}, {"country", "string"}, {"created_at", "timestamp_tz"},
            {"updated_at", "timestamp_tz"}};
        for (String[] d : defs) {
            fields.add(FieldDescriptor.newBuilder().setPath(List.of(d[0])).setType(d[1]).setNullable(!d[0].equals("id")).build());
        }
        ConfiguredStream users = ConfiguredStream.newBuilder().setName("users").setSyncMode("full_refresh")
                .setDestinationSyncMode("overwrite").setPrimaryKey(List.of(List.of("id"))).setFields(fields).build();
        ConnectionConfiguration cfg = ConnectionConfiguration.newBuilder().setName("Sample → Warehouse")
                .setSourceId(sourceId).setDestinationId(destinationId).setStatus("active")
                .setSchedule(Schedule.newBuilder().setType("manual").build()).setNamespaceDefinition("destination")
                .setPrefix("sample_").setConfiguredCatalog(ConfiguredCatalog.newBuilder().setStreams(List.of(users)).build())
                .setVersion(2).build();
        return ConnectionCreated.newBuilder().setEventId(id()).setOccurredAt(Instant.now()).setConnectionId(connectionId)
                .setConfiguration(cfg).build();
    }

    static SyncRequested syncRequested(String connectionId) {
        return SyncRequested.newBuilder().setEventId(id()).setOccurredAt(Instant.now()).setConnectionId(connectionId)
                .setRequestId(id()).build();
    }

    @Test
    void fullRefreshOverwriteWritesTypedRowsNullsUncastableValuesAndRejectsNullKeys() throws Exception {
        String database = InfrastructureResource.newDatabase("warehouse");
        String sourceId = id();
        String destinationId = id();
        String connectionId = id();
        // the sync is asked for before the connection is known here: the job waits for it
        SyncRequested request = syncRequested(connectionId);
        events().send(Topics.SYNC_COMMANDS, connectionId, request);
        givenActors(sourceId, destinationId, database, pg().password(), 200, 10);
        events().send(Topics.CONNECTIONS, connectionId, connection(connectionId, sourceId, destinationId));

        SyncStarted started = events().awaitOne(Topics.SYNC_EVENTS, SyncStarted.class,
                e -> e.getConnectionId().equals(connectionId));
        SyncSucceeded done = events().awaitOne(Topics.SYNC_EVENTS, SyncSucceeded.class,
                e -> e.getConnectionId().equals(connectionId));
        assertThat(done.getJobId()).isEqualTo(started.getJobId());
        assertThat(done.getStreams()).singleElement().satisfies(s -> {
            assertThat(s.getRecordsRead()).isEqualTo(200);
            assertThat(s.getRecordsWritten()).isEqualTo(195);
            assertThat(s.getRecordsRejected()).isEqualTo(5);
        });

        try (Connection c = pg().connect(database);
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*), count(*) filter (where age is null and _syncline_meta::text like '%age%'), "
                             + "pg_typeof(min(age))::text, pg_typeof(min(created_at))::text from public.sample_users")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(195);
            // an uncastable value is written as NULL and noted in _syncline_meta: ELT keeps the row
            assertThat(rs.getLong(2)).isEqualTo(5);
            assertThat(rs.getString(3)).isEqualTo("bigint");
            assertThat(rs.getString(4)).isEqualTo("timestamp with time zone");
        }

        // rejections travel many to an event: one RecordsRejected for these five
        List<RecordRejected> rejected = events().await(Topics.RECORDS_REJECTED, dev.syncline.events.RecordsRejected.class,
                r -> r.getConnectionId().equals(connectionId), 1, Duration.ofSeconds(60)).stream()
                .flatMap(r -> r.getRejections().stream()).toList();
        assertThat(rejected).hasSize(5);
        assertThat(rejected).allSatisfy(r -> assertThat(r.getJobId()).isEqualTo(done.getJobId()));
        assertThat(rejected).flatExtracting(RecordRejected::getReasons)
                .extracting(f -> f.getField() + ":" + f.getCode())
                .containsOnly("id:MISSING_REQUIRED");

        given().get("/jobs/" + done.getJobId()).then().statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("recordsRead", equalTo(200))
                .body("recordsWritten", equalTo(195))
                .body("recordsRejected", equalTo(5))
                .body("streams[0].stream", equalTo("users"));
        given().get("/jobs?connectionId=" + connectionId).then().statusCode(200).body("size()", equalTo(1));
        // Prometheus sees the records too: counters whose rates are rows/s and rejects/s, and no sync running now
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metric(metrics, "syncline_sync_records_read_total")).isGreaterThanOrEqualTo(200);
        assertThat(metric(metrics, "syncline_sync_records_rejected_total")).isGreaterThanOrEqualTo(5);
        assertThat(metric(metrics, "syncline_syncs_running")).isZero();

        // a second sync replaces the table's content: still exactly the good rows
        events().send(Topics.SYNC_COMMANDS, connectionId, syncRequested(connectionId));
        await().atMost(Duration.ofSeconds(60)).until(() -> events().readAll(Topics.SYNC_EVENTS, SyncSucceeded.class,
                e -> e.getConnectionId().equals(connectionId)).size() == 2);
        try (Connection c = pg().connect(database);
             ResultSet rs = c.createStatement().executeQuery("select count(*) from public.sample_users")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(195);
        }
    }

    @Test
    void aWrongPasswordFailsTheJobWithTheDestinationsMessage() {
        String database = InfrastructureResource.newDatabase("warehouse");
        String sourceId = id();
        String destinationId = id();
        String connectionId = id();
        givenActors(sourceId, destinationId, "no_such_database_" + database, pg().password(), 5, 0);
        events().send(Topics.CONNECTIONS, connectionId, connection(connectionId, sourceId, destinationId));
        events().send(Topics.SYNC_COMMANDS, connectionId, syncRequested(connectionId));
        SyncFailed failed = events().awaitOne(Topics.SYNC_EVENTS, SyncFailed.class,
                e -> e.getConnectionId().equals(connectionId));
        assertThat(failed.getMessage()).contains("does not exist");
        assertThat(failed.getFailureOrigin()).isEqualTo("destination");
        given().get("/jobs/" + failed.getJobId()).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("failure.origin", equalTo("destination"));
    }

    /** The value of an untagged metric in Prometheus text format. */
    static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    @Test
    void badJobQueriesAreProblems() {
        given().get("/jobs/abc").then().statusCode(404).contentType("application/problem+json");
        given().get("/jobs/999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/jobs?connectionId=nope").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("connectionId"));
        given().get("/jobs?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
