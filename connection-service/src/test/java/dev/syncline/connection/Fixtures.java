package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.syncline.events.Catalog;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.StreamDescriptor;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sources, destinations and connections for tests, schema-service's answers played on the real broker. */
final class Fixtures {
    private Fixtures() { }

    static EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static FieldDescriptor field(String name, String type) {
        return FieldDescriptor.newBuilder().setPath(List.of(name)).setType(type).build();
    }

    static StreamDescriptor stream(String name, List<String> modes, boolean cursor, boolean key) {
        return StreamDescriptor.newBuilder().setName(name)
                .setFields(List.of(field("id", "integer"), field("name", "string"), field("updated_at", "timestamp_tz")))
                .setSupportedSyncModes(modes).setSourceDefinedCursor(false)
                .setDefaultCursorField(cursor ? List.of("updated_at") : List.of())
                .setSourceDefinedPrimaryKey(key ? List.of(List.of("id")) : List.of()).build();
    }

    /** A source whose catalog is discovered: {@code orders} (incremental with cursor and key), {@code events} (full refresh only). */
    static String discoveredSource() {
        String sourceId = given().contentType(ContentType.JSON)
                .body("{\"name\":\"Shop\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
        Catalog catalog = Catalog.newBuilder().setStreams(List.of(
                stream("orders", List.of("full_refresh", "incremental"), true, true),
                stream("events", List.of("full_refresh"), false, false))).build();
        events().send(Topics.SCHEMAS, sourceId, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(sourceId).setCatalogVersion(1).setCatalogHash("h").setCatalog(catalog)
                .build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/sources/" + sourceId + "/catalog").then()
                .statusCode(200).body("status", equalTo("discovered")));
        return sourceId;
    }

    static String destination() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"Warehouse\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"h\",\"port\":5432,"
                        + "\"database\":\"d\",\"username\":\"u\",\"schema\":\"public\"}}")
                .post("/destinations").then().statusCode(201).extract().path("destinationId");
    }

    static String connection(String sourceId, String destinationId, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + sourceId + "\",\"destinationId\":\"" + destinationId + "\"" + extra + "}")
                .post("/connections").then().statusCode(201).extract().path("connectionId");
    }
}
