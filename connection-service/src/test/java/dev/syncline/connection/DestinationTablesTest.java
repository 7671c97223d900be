package dev.syncline.connection;

import static dev.syncline.connection.Fixtures.destination;
import static dev.syncline.connection.Fixtures.events;
import static dev.syncline.connection.Fixtures.field;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import dev.syncline.events.Catalog;
import dev.syncline.events.FieldChange;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.StreamDescriptor;
import dev.syncline.events.StreamRef;
import dev.syncline.events.Topics;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What would mix data in a destination is refused at setup: two streams of one connection on one table (or two fields
 * on one column) once the destination normalises their names, whichever way the streams arrive (create, PATCH, a first
 * catalog, a schema change, its approval); and two connections on one table, enforced by the database.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class DestinationTablesTest {

    static StreamDescriptor stream(String name, String... fields) {
        List<String> all = new ArrayList<>(List.of("id"));
        all.addAll(List.of(fields));
        return StreamDescriptor.newBuilder().setName(name).setFields(all.stream().map(f -> field(f, "string")).toList())
                .setSupportedSyncModes(List.of("full_refresh")).build();
    }

    static String source() {
        return given().contentType(ContentType.JSON).body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
    }

    static void discovered(String source, long version, List<StreamDescriptor> streams, SchemaDiff diff) {
        events().send(Topics.SCHEMAS, source, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(source).setCatalogVersion(version).setCatalogHash("v" + version)
                .setCatalog(Catalog.newBuilder().setStreams(streams).build()).setDiff(diff).build());
    }

    static String discoveredSource(StreamDescriptor... streams) {
        String source = source();
        discovered(source, 1, List.of(streams), null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/sources/" + source + "/catalog").then()
                .statusCode(200).body("status", equalTo("discovered")));
        return source;
    }

    static ValidatableResponse create(String source, String destination, String extra) {
        return given().contentType(ContentType.JSON)
                .body("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\"" + extra + "}")
                .post("/connections").then();
    }

    static ValidatableResponse patch(String connection, String body) {
        return given().contentType(ContentType.JSON).body(body).patch("/connections/" + connection).then();
    }

    @Test
    void streamsWhoseNamesNormaliseAlikeAreRefusedNamingBoth() {
        String source = discoveredSource(stream("Users"), stream("users"), stream("a-b"), stream("a_b"), stream("заказы"),
                stream("товары"), stream("ünïcödé"), stream("unicode"));
        String destination = destination();
        create(source, destination, "").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("streams"))
                .body("errors.message", hasItems(
                        startsWith("streams Users and users would both write table public.users"),
                        startsWith("streams a-b and a_b would both write table public.a_b"),
                        startsWith("streams заказы and товары would both write table public.______ "),
                        startsWith("streams ünïcödé and unicode would both write table public.unicode")))
                .body("errors.message", hasItem(containsString("deselect one, or give one another destinationName")));
        // named in the request: the problem points at the second stream of the pair
        create(source, destination, ",\"streams\":[{\"name\":\"Users\"},{\"name\":\"users\"}]").statusCode(400)
                .body("errors[0].field", equalTo("streams[1].destinationName"));
        // the user's second visit: one deselected, the other renamed
        create(source, destination, ",\"streams\":[{\"name\":\"Users\",\"destinationName\":\"users_upper\"},"
                + "{\"name\":\"users\"},{\"name\":\"a-b\",\"selected\":false},{\"name\":\"a_b\"}]").statusCode(201)
                .body("streams.name", equalTo(List.of("Users", "users", "a_b")));
    }

    @Test
    void fieldsWhoseNamesNormaliseAlikeAreRefusedUnlessOneIsDeselected() {
        String source = discoveredSource(stream("people", "Name", "name"));
        String destination = destination();
        create(source, destination, ",\"streams\":[{\"name\":\"people\"}]").statusCode(400)
                .body("errors[0].field", equalTo("streams[0].selectedFields"))
                .body("errors[0].message", equalTo("fields Name and name of stream people would both write column name; "
                        + "deselect one of them (selectedFields)"));
        create(source, destination, ",\"streams\":[{\"name\":\"people\",\"selectedFields\":[[\"id\"],[\"name\"]]}]")
                .statusCode(201).body("streams[0].fields.name", equalTo(List.of("id", "name")));
    }

    @Test
    void aPatchThatWouldMixDataIsRefusedAndChangesNothing() {
        String source = discoveredSource(stream("Users"), stream("users"));
        String destination = destination();
        String id = create(source, destination, ",\"streams\":[{\"name\":\"users\"}]").statusCode(201)
                .extract().path("connectionId");
        patch(id, "{\"streams\":[{\"name\":\"users\"},{\"name\":\"Users\"}]}").statusCode(400)
                .body("errors[0].field", equalTo("streams[1].destinationName"))
                .body("errors[0].message", startsWith("streams users and Users would both write table public.users"));
        given().get("/connections/" + id).then().statusCode(200).body("streams.name", equalTo(List.of("users")));
        patch(id, "{\"streams\":[{\"name\":\"users\"},{\"name\":\"Users\",\"destinationName\":\"users_2\"}]}").statusCode(200)
                .body("streams.name", equalTo(List.of("users", "Users")));
    }

    @Test
    void aFirstCatalogThatWouldMixDataPausesTheConnectionSayingWhy() {
        String source = source();
        String id = create(source, destination(), "").statusCode(201).extract().path("connectionId");
        discovered(source, 1, List.of(stream("Users"), stream("users")), null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + id).then().statusCode(200)
                .body("status", equalTo("paused")));
        given().get("/connections/" + id + "/timeline").then().statusCode(200)
                .body("summary", hasItem(containsString("streams Users and users would both write table public.users")));
        given().post("/connections/" + id + "/sync").then().statusCode(409);
        // enabling is checked again: refused until the streams are mended, then allowed
        patch(id, "{\"status\":\"active\"}").statusCode(400).body("errors.message",
                hasItem(startsWith("streams Users and users would both write table public.users")));
        patch(id, "{\"status\":\"active\",\"streams\":[{\"name\":\"users\"}]}").statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void aSchemaChangeThatWouldMixDataWaitsForReviewAndApprovalIsRefused() {
        String source = discoveredSource(stream("users"));
        String destination = destination();
        String id = create(source, destination, ",\"schemaChangePolicy\":\"propagate_fully\"").statusCode(201)
                .extract().path("connectionId");
        discovered(source, 2, List.of(stream("users"), stream("Users")), SchemaDiff.newBuilder()
                .setStreamsAdded(List.of(StreamRef.newBuilder().setName("Users").build())).setStreamsRemoved(List.of())
                .setFieldChanges(List.of()).build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + id + "/timeline").then()
                .statusCode(200).body("summary", hasItem(startsWith("Schema changes not applied, they would mix data: "
                        + "streams users and Users would both write table public.users"))));
        given().get("/connections/" + id).then().body("status", equalTo("active")).body("streams.name", equalTo(List.of("users")));
        given().get("/connections/" + id + "/schema-changes").then().statusCode(200)
                .body("[0].diff.streamsAdded[0].name", equalTo("Users"));
        given().post("/connections/" + id + "/schema-changes/approve").then().statusCode(400)
                .body("errors.message", hasItem(startsWith("streams users and Users would both write table public.users")));

        // a new column colliding with a selected one: the same
        discovered(source, 3, List.of(stream("users", "Name", "name")), SchemaDiff.newBuilder().setStreamsAdded(List.of())
                .setStreamsRemoved(List.of(StreamRef.newBuilder().setName("Users").build())).setFieldChanges(List.of(
                        FieldChange.newBuilder().setStream("users").setField(List.of("Name")).setChange("added").build(),
                        FieldChange.newBuilder().setStream("users").setField(List.of("name")).setChange("added").build()))
                .build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + id + "/timeline").then()
                .statusCode(200).body("summary", hasItem(containsString("fields Name and name of stream users would both "
                        + "write column name"))));
        given().get("/connections/" + id).then().body("streams[0].fields.name", equalTo(List.of("id")));
    }

    @Test
    void aDestinationTableIsWrittenByOneConnectionAndDeletingItFreesTheTable() {
        String source = discoveredSource(stream("orders"), stream("events"));
        String destination = destination();
        String first = create(source, destination, ",\"name\":\"First\"").statusCode(201).extract().path("connectionId");
        create(source, destination, "").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("public.orders is connection " + first + "'s (First)"))
                .body("errors.message", hasItem(startsWith("table public.events is written by connection " + first
                        + " (First), stream events; set another prefix")));
        String second = create(source, destination, ",\"prefix\":\"copy_\"").statusCode(201).extract().path("connectionId");
        // a PATCH onto the first one's tables is refused the same way
        patch(second, "{\"prefix\":\"\"}").statusCode(409).body("detail", containsString("connection " + first));
        // deleting the first frees its tables
        given().delete("/connections/" + first).then().statusCode(204);
        patch(second, "{\"prefix\":\"\"}").statusCode(200);
    }

    @Test
    void twentyConcurrentCreatesOfOneTableMakeExactlyOneConnection() throws Exception {
        String source = discoveredSource(stream("orders"));
        String destination = destination();
        String body = "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\",\"prefix\":\"race_\"}";
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                creates.add(() -> given().contentType(ContentType.JSON).body(body).post("/connections").then().extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(creates)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        given().get("/connections?sourceId=" + source).then().statusCode(200).body("data.size()", equalTo(1));
    }
}
