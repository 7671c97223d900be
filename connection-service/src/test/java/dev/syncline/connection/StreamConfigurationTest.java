package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.syncline.events.Catalog;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.StreamDescriptor;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Presets, per-stream settings, and every refusal of connection setup, over REST with the real Kafka. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class StreamConfigurationTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static FieldDescriptor field(String name, String type) {
        return FieldDescriptor.newBuilder().setPath(List.of(name)).setType(type).build();
    }

    static StreamDescriptor stream(String name, List<String> modes, boolean cursor, boolean key) {
        return StreamDescriptor.newBuilder().setName(name)
                .setFields(List.of(field("id", "integer"), field("name", "string"), field("updated_at", "timestamp_tz"),
                        FieldDescriptor.newBuilder().setPath(List.of("address")).setType("object").build(),
                        FieldDescriptor.newBuilder().setPath(List.of("address", "city")).setType("string").build()))
                .setSupportedSyncModes(modes).setSourceDefinedCursor(false)
                .setDefaultCursorField(cursor ? List.of("updated_at") : List.of())
                .setSourceDefinedPrimaryKey(key ? List.of(List.of("id")) : List.of()).build();
    }

    /** A source whose schema is discovered: every combination the presets care about. */
    String discoveredSource() {
        String sourceId = given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
        events().awaitOne(Topics.SCHEMA_REQUESTS, SchemaDiscoveryRequested.class,
                r -> r.getActorId().equals(sourceId) && r.getConnectionId() == null);
        Catalog catalog = Catalog.newBuilder().setStreams(List.of(
                stream("everything", List.of("full_refresh", "incremental"), true, true),
                stream("no_cursor", List.of("full_refresh", "incremental"), false, true),
                stream("no_key", List.of("full_refresh", "incremental"), true, false),
                stream("incremental_only", List.of("incremental"), true, false))).build();
        events().send(Topics.SCHEMAS, sourceId, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(sourceId).setCatalogVersion(1).setCatalogHash("h").setCatalog(catalog)
                .build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/sources/" + sourceId + "/catalog").then()
                .statusCode(200).body("status", equalTo("discovered")));
        return sourceId;
    }

    String destination() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"W\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"h\",\"port\":5432,"
                        + "\"database\":\"d\",\"username\":\"u\",\"schema\":\"public\"}}")
                .post("/destinations").then().statusCode(201).extract().path("destinationId");
    }

    ValidatableResponse create(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/connections").then();
    }

    @Test
    void replicateSourcePicksEachStreamsBestMode() {
        String body = "{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\"}";
        create(body).statusCode(201)
                .body("syncModePreset", equalTo("replicate_source"))
                .body("streams.find { it.name == 'everything' }.destinationSyncMode", equalTo("append_dedup"))
                .body("streams.find { it.name == 'everything' }.syncMode", equalTo("incremental"))
                .body("streams.find { it.name == 'no_cursor' }.destinationSyncMode", equalTo("overwrite_dedup"))
                .body("streams.find { it.name == 'no_key' }.destinationSyncMode", equalTo("overwrite"))
                .body("streams.find { it.name == 'incremental_only' }.destinationSyncMode", equalTo("append"));
    }

    @Test
    void appendHistoryKeepsEveryVersion() {
        String body = "{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination()
                + "\",\"syncModePreset\":\"append_history\"}";
        create(body).statusCode(201)
                .body("streams.find { it.name == 'everything' }.syncMode", equalTo("incremental"))
                .body("streams.find { it.name == 'everything' }.destinationSyncMode", equalTo("append"))
                .body("streams.find { it.name == 'no_cursor' }.syncMode", equalTo("full_refresh"))
                .body("streams.find { it.name == 'no_cursor' }.destinationSyncMode", equalTo("append"))
                .body("streams.find { it.name == 'incremental_only' }.destinationSyncMode", equalTo("append"));
    }

    @Test
    void perStreamSettingsSelectNestedFieldsAndRename() {
        String body = "{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\",\"prefix\":\"crm_\","
                + "\"streams\":[{\"name\":\"everything\",\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append\","
                + "\"selectedFields\":[[\"id\"],[\"updated_at\"],[\"address\",\"city\"]],\"destinationName\":\"people\"}]}";
        create(body).statusCode(201)
                .body("streams.size()", equalTo(1))
                .body("streams[0].destinationName", equalTo("people"))
                .body("streams[0].fields.name", equalTo(List.of("id", "updated_at", "address")))
                .body("streams[0].fields[2].fields.name", equalTo(List.of("city")));
    }

    @Test
    void everyStreamProblemIsListedInOneAnswer() {
        String body = "{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\",\"streams\":["
                + "{\"name\":\"no_cursor\",\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append\"},"
                + "{\"name\":\"no_key\",\"syncMode\":\"full_refresh\",\"destinationSyncMode\":\"overwrite_dedup\"},"
                + "{\"name\":\"incremental_only\",\"syncMode\":\"full_refresh\",\"destinationSyncMode\":\"overwrite\"},"
                + "{\"name\":\"nope\"},"
                + "{\"name\":\"everything\",\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append_dedup\","
                + "\"selectedFields\":[[\"name\"]]}]}";
        create(body).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("streams[0].cursorField", "streams[1].primaryKey", "streams[2].syncMode",
                        "streams[3].name", "streams[4].selectedFields"))
                .body("errors.message", hasItem(containsString("incremental needs a cursor field")))
                .body("errors.message", hasItem(containsString("overwrite_dedup needs a primary key")))
                .body("errors.message", hasItem(containsString("the source does not support full_refresh")))
                .body("errors.message", hasItem(containsString("the cursor field updated_at cannot be deselected")))
                .body("errors.message", hasItem(containsString("the primary key field id cannot be deselected")));
    }

    @Test
    void invalidScheduleNamespaceAndWebhookAreNamed() {
        String base = "\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\"";
        create("{" + base + ",\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"every day\",\"cronTimeZone\":\"Mars/Olympus\"}}")
                .statusCode(400).body("errors.field", hasItems("schedule.cronExpression", "schedule.cronTimeZone"));
        create("{" + base + ",\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"x\"},\"streams\":[{\"name\":\"nope\"}]}")
                .statusCode(400).body("errors.field", hasItems("schedule.cronExpression", "streams[0].name"));
        create("{" + base + ",\"schedule\":{\"scheduleType\":\"basic\"}}")
                .statusCode(400).body("errors.field", hasItems("schedule.basicUnits", "schedule.basicTimeUnit"));
        create("{" + base + ",\"namespaceDefinition\":\"custom_format\",\"namespaceFormat\":\"1-bad name ${SOURCE_NAMESPACE}\"}")
                .statusCode(400).body("errors.field", hasItem("namespaceFormat"));
        create("{" + base + ",\"notificationWebhook\":\"ftp://x\",\"schemaChangePolicy\":\"whatever\"}")
                .statusCode(400).body("errors.field", hasItems("notificationWebhook", "schemaChangePolicy"));
        create("{" + base + ",\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"0 0 6 * * ?\",\"cronTimeZone\":\"Europe/Paris\"},"
                + "\"namespaceDefinition\":\"custom_format\",\"namespaceFormat\":\"raw_${SOURCE_NAMESPACE}\"}").statusCode(201)
                .body("schedule.cronExpression", equalTo("0 0 6 * * ?"));
    }

    @Test
    void twoConnectionsMayNotWriteTheSameDestinationStream() {
        String source = discoveredSource();
        String destination = destination();
        String body = "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\"}";
        create(body).statusCode(201);
        create(body).statusCode(409).body("errors.field", hasItem("streams"))
                .body("errors.message", hasItem(containsString("is written by connection")));
        create("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\",\"prefix\":\"copy_\"}").statusCode(201);
    }

    @Test
    void tagsAreCheckedAndCarried() {
        String tag = given().contentType(ContentType.JSON).body("{\"name\":\"t-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"color\":\"#1e88e5\"}").post("/tags").then().statusCode(201).body("color", equalTo("#1E88E5"))
                .extract().path("tagId");
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"color\":\"blue\"}").post("/tags").then()
                .statusCode(400).body("errors.field", hasItem("color"));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(31) + "\",\"color\":\"#000000\"}").post("/tags")
                .then().statusCode(400).body("errors.field", hasItem("name"));
        String base = "\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\"";
        create("{" + base + ",\"tags\":[\"" + UUID.randomUUID() + "\"]}").statusCode(400).body("errors.field", hasItem("tags[0]"));
        String many = String.join(",", java.util.Collections.nCopies(11, "\"" + tag + "\""));
        create("{" + base + ",\"tags\":[" + many + "]}").statusCode(400).body("errors.field", hasItem("tags"));
        create("{" + base + ",\"tags\":[\"" + tag + "\"]}").statusCode(201).body("tags", equalTo(List.of(tag)));
    }

    @Test
    void patchChangesWhatItHoldsAndPublishesTheWholeConfiguration() {
        String id = create("{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\"" + destination() + "\"}")
                .statusCode(201).extract().path("connectionId");
        given().contentType(ContentType.JSON).body("{\"name\":\"Renamed\",\"schedule\":{\"scheduleType\":\"basic\","
                        + "\"basicUnits\":6,\"basicTimeUnit\":\"hours\"},\"streams\":[{\"name\":\"everything\"}]}")
                .patch("/connections/" + id).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("streams.size()", equalTo(1))
                .body("streams[0].destinationSyncMode", equalTo("append_dedup"));
        ConnectionUpdated u = events().awaitOne(Topics.CONNECTIONS, ConnectionUpdated.class,
                e -> e.getConnectionId().equals(id) && e.getChangedFields().contains("streams"));
        assertThat(u.getConfiguration().getName()).isEqualTo("Renamed");
        assertThat(u.getConfiguration().getSchedule().getBasicUnits()).isEqualTo(6L);
        assertThat(u.getConfiguration().getConfiguredCatalog().getStreams()).hasSize(1);
        given().contentType(ContentType.JSON).body("{\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"nope\"}}")
                .patch("/connections/" + id).then().statusCode(400).body("errors.field", hasItem("schedule.cronExpression"));
    }

    @Test
    void streamsCannotBeConfiguredBeforeTheSchemaIsKnown() {
        String sourceId = given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
        create("{\"sourceId\":\"" + sourceId + "\",\"destinationId\":\"" + destination() + "\",\"streams\":[{\"name\":\"users\"}]}")
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("not discovered yet"));
    }
}
