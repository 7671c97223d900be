package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.syncline.events.Catalog;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.StreamDescriptor;
import dev.syncline.events.SyncRequested;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ConnectionSetupTest {
    static final String PASSWORD = "s3cret-Pa55word";

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    String createSource() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"Sample\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":7,\"rows\":10}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
    }

    String createDestination() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"Warehouse\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\","
                        + "\"port\":5432,\"database\":\"w\",\"username\":\"u\",\"password\":\"" + PASSWORD + "\",\"schema\":\"public\"}}")
                .post("/destinations").then().statusCode(201)
                .body("configuration.password", equalTo("**********"))
                .body(not(containsString(PASSWORD)))
                .extract().path("destinationId");
    }

    @Test
    void destinationSecretIsMaskedInResponsesAndEncryptedOnKafka() {
        String id = createDestination();
        given().get("/destinations/" + id).then().statusCode(200)
                .body("configuration.password", equalTo("**********"))
                .body("configuration.host", equalTo("127.0.0.1"));
        DestinationConfigured e = events().awaitOne(Topics.ACTORS, DestinationConfigured.class,
                d -> d.getActorId().equals(id));
        assertThat(e.getConfig()).doesNotContain(PASSWORD).contains("enc:v1:");
        assertThat(e.getConnectorType()).isEqualTo("postgres");
    }

    @Test
    void connectionGetsItsStreamsOnceTheSchemaIsDiscoveredThenSyncs() {
        String sourceId = createSource();
        String destinationId = createDestination();
        String connectionId = given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + sourceId + "\",\"destinationId\":\"" + destinationId + "\"}")
                .post("/connections").then().statusCode(201)
                .body("name", equalTo("Sample → Warehouse"))
                .body("status", equalTo("active"))
                .body("schedule.scheduleType", equalTo("manual"))
                .extract().path("connectionId");

        // what the service published, read back through the registry: the Apicurio Avro serde, one artifact per type
        ConnectionCreated created = events().awaitOne(Topics.CONNECTIONS, ConnectionCreated.class,
                c -> c.getConnectionId().equals(connectionId));
        assertThat(created.getConfiguration().getSourceId()).isEqualTo(sourceId);
        assertThat(created.getConfiguration().getConfiguredCatalog()).isNull();
        SchemaDiscoveryRequested asked = events().awaitOne(Topics.SCHEMA_REQUESTS, SchemaDiscoveryRequested.class,
                r -> connectionId.equals(r.getConnectionId()));
        assertThat(asked.getActorId()).isEqualTo(sourceId);
        assertThat(InfrastructureResource.infrastructure().registry()
                .hasArtifact("dev.syncline.events", "ConnectionCreated")).isTrue();

        // before discovery: the catalog is pending and a sync is refused with a reason
        given().get("/connections/" + connectionId + "/catalog").then().statusCode(200).body("status", equalTo("pending"));
        given().post("/connections/" + connectionId + "/sync").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("not discovered yet"));

        // schema-service's answer (played here on the real broker)
        events().send(Topics.SCHEMAS, sourceId, discovered(sourceId, connectionId));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/connections/" + connectionId + "/catalog").then().statusCode(200)
                        .body("status", equalTo("discovered"))
                        .body("discoveredCatalog.streams.name", hasItem("users"))
                        .body("streams[0].syncMode", equalTo("full_refresh"))
                        .body("streams[0].destinationSyncMode", equalTo("overwrite_dedup"))
                        .body("streams[0].fields.name", hasItem("age")));
        ConnectionUpdated updated = events().awaitOne(Topics.CONNECTIONS, ConnectionUpdated.class,
                u -> u.getConnectionId().equals(connectionId));
        assertThat(updated.getConfiguration().getConfiguredCatalog().getStreams()).hasSize(1);

        String requestId = given().post("/connections/" + connectionId + "/sync").then().statusCode(202)
                .extract().path("requestId");
        SyncRequested sync = events().awaitOne(Topics.SYNC_COMMANDS, SyncRequested.class,
                s -> s.getRequestId().equals(requestId));
        assertThat(sync.getConnectionId()).isEqualTo(connectionId);
    }

    @Test
    void redeliveredSchemaEventIsAppliedOnce() {
        String sourceId = createSource();
        String destinationId = createDestination();
        String connectionId = given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + sourceId + "\",\"destinationId\":\"" + destinationId + "\"}")
                .post("/connections").then().statusCode(201).extract().path("connectionId");
        SchemaDiscovered event = discovered(sourceId, connectionId);
        events().send(Topics.SCHEMAS, sourceId, event);
        events().send(Topics.SCHEMAS, sourceId, event);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/connections/" + connectionId + "/catalog").then().body("status", equalTo("discovered")));
        events().awaitOne(Topics.CONNECTIONS, ConnectionUpdated.class, u -> u.getConnectionId().equals(connectionId));
        // both deliveries are consumed once the offset is committed past them; only one had an effect
        await().atMost(Duration.ofSeconds(30)).until(() -> consumedBothDeliveries(event));
        assertThat(events().readAll(Topics.CONNECTIONS, ConnectionUpdated.class,
                u -> u.getConnectionId().equals(connectionId))).hasSize(1);
    }

    @Test
    void malformedJsonIsAProblemNotAStackTrace() {
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", ").post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("detail", containsString("malformed JSON"))
                .body(not(containsString("at com.")));
    }

    @Test
    void aBodyThatIsNotAnObjectIsAProblem() {
        given().contentType(ContentType.JSON).body("null").post("/sources").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("body"));
        given().contentType(ContentType.JSON).body("[1, 2]").post("/connections").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("must be an object"));
        given().contentType(ContentType.TEXT).body("name=x").post("/sources").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void anUnknownFieldIsNamedNotIgnored() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{},\"schedul\":{}}")
                .post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("schedul"))
                .body("detail", containsString("unknown field"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{\"rows\":1,\"colour\":2}}")
                .post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("configuration.colour"));
    }

    @Test
    void missingFieldsAreNamed() {
        given().contentType(ContentType.JSON).body("{\"configuration\":{}}").post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("sourceType"));
    }

    @Test
    void wrongTypeInConfigurationIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"W\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"h\",\"port\":\"abc\","
                        + "\"database\":\"d\",\"username\":\"u\",\"schema\":\"public\"}}")
                .post("/destinations").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("configuration.port"));
    }

    @Test
    void missingConfigurationSettingIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"W\",\"destinationType\":\"postgres\",\"configuration\":{\"port\":5432}}")
                .post("/destinations").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("configuration.host"))
                .body("errors.field", hasItem("configuration.database"));
    }

    @Test
    void wrongJsonTypeOfATopLevelFieldIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":\"not an object\"}")
                .post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("configuration"));
    }

    @Test
    void unknownSourceTypeIsNamed() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"nope\",\"configuration\":{}}")
                .post("/sources").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("sourceType"))
                .body("detail", containsString("sample-data"));
    }

    @Test
    void unknownIdsAreNotFoundProblems() {
        given().get("/connections/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/connections/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        given().get("/sources/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().post("/connections/" + UUID.randomUUID() + "/sync").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/no-such-path").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void connectionToUnknownActorsNamesBothFields() {
        given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + UUID.randomUUID() + "\",\"destinationId\":\"nope\"}")
                .post("/connections").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("destinationId"));
        given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + UUID.randomUUID() + "\",\"destinationId\":\"" + UUID.randomUUID() + "\"}")
                .post("/connections").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("sourceId"))
                .body("errors.field", hasItem("destinationId"));
    }

    @Test
    void serviceIsHealthyAndExposesMetricsAndOpenApi() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/connections/{connectionId}/sync"));
    }

    /** The service's consumer group has committed past both copies of the event. */
    static boolean consumedBothDeliveries(SchemaDiscovered event) {
        String bootstrap = InfrastructureResource.infrastructure().kafka().bootstrapServers();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
            var committed = admin.listConsumerGroupOffsets("connection-service.schemas").partitionsToOffsetAndMetadata()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            var partitions = committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.SCHEMAS)).toList();
            var ends = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
            return !partitions.isEmpty() && partitions.stream()
                    .allMatch(tp -> committed.get(tp).offset() >= ends.get(tp).offset());
        } catch (Exception e) {
            return false;
        }
    }

    static SchemaDiscovered discovered(String sourceId, String connectionId) {
        FieldDescriptor id = FieldDescriptor.newBuilder().setPath(List.of("id")).setType("integer").setNullable(false).build();
        FieldDescriptor age = FieldDescriptor.newBuilder().setPath(List.of("age")).setType("integer").build();
        StreamDescriptor users = StreamDescriptor.newBuilder().setName("users").setFields(List.of(id, age))
                .setSupportedSyncModes(List.of("full_refresh", "incremental"))
                .setSourceDefinedPrimaryKey(List.of(List.of("id"))).build();
        return SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setActorId(sourceId).setConnectionId(connectionId).setCatalogVersion(1).setCatalogHash("h")
                .setCatalog(Catalog.newBuilder().setStreams(List.of(users)).build()).build();
    }
}
