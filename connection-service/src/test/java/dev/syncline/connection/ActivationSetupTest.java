package dev.syncline.connection;

import static dev.syncline.connection.Fixtures.events;
import static dev.syncline.connection.Fixtures.field;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.syncline.events.Catalog;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.InsertionMethodDescriptor;
import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.StreamDescriptor;
import dev.syncline.events.Topics;
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

/** Data activation setup: mappings onto a strict-schema object, completed and checked, every problem at once. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ActivationSetupTest {

    static FieldDescriptor required(String name, String type) {
        return FieldDescriptor.newBuilder().setPath(List.of(name)).setType(type).setNullable(false).build();
    }

    static void discovered(String actorId, List<StreamDescriptor> streams) {
        events().send(Topics.SCHEMAS, actorId, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(actorId).setCatalogVersion(1).setCatalogHash("h")
                .setCatalog(Catalog.newBuilder().setStreams(streams).build()).build());
    }

    static void awaitDiscovered(String path) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("status", equalTo("discovered")));
    }

    String source() {
        String id = given().contentType(ContentType.JSON).body("{\"name\":\"Signups\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
        discovered(id, List.of(StreamDescriptor.newBuilder().setName("signups")
                .setFields(List.of(field("contact_email", "string"), field("full_name", "string"), field("age", "string"),
                        field("signed_up", "date"), field("updated_at", "timestamp_tz")))
                .setSupportedSyncModes(List.of("full_refresh", "incremental")).setDefaultCursorField(List.of("updated_at")).build()));
        awaitDiscovered("/sources/" + id + "/catalog");
        return id;
    }

    String activationDestination() {
        String id = given().contentType(ContentType.JSON).body("{\"name\":\"App\",\"destinationType\":\"postgres-table\","
                        + "\"configuration\":{\"host\":\"h\",\"port\":5432,\"database\":\"app\",\"username\":\"u\"}}")
                .post("/destinations").then().statusCode(201).extract().path("destinationId");
        // an activation destination's objects are discovered like a source's streams
        events().awaitOne(Topics.SCHEMA_REQUESTS, SchemaDiscoveryRequested.class, r -> r.getActorId().equals(id));
        List<List<String>> keys = List.of(List.of("id"), List.of("email"));
        discovered(id, List.of(StreamDescriptor.newBuilder().setNamespace("public").setName("contacts")
                .setFields(List.of(field("id", "integer"), required("email", "string"), required("name", "string"),
                        field("age", "integer"), field("created_on", "date")))
                .setInsertionMethods(List.of(
                        InsertionMethodDescriptor.newBuilder().setMethod("insert").build(),
                        InsertionMethodDescriptor.newBuilder().setMethod("update").setMatchingKeys(keys).build(),
                        InsertionMethodDescriptor.newBuilder().setMethod("upsert").setMatchingKeys(keys).build())).build()));
        return id;
    }

    @Test
    void anActivationDestinationsObjectsAreServedAndAWarehouseHasNone() {
        String destination = activationDestination();
        awaitDiscovered("/destinations/" + destination + "/objects");
        given().get("/destinations/" + destination + "/objects").then().statusCode(200)
                .body("objects.streams[0].name", equalTo("contacts"))
                .body("objects.streams[0].fields.find { it.name == 'email' }.nullable", equalTo(false))
                .body("objects.streams[0].insertionMethods.method", hasItems("insert", "upsert"))
                .body("objects.streams[0].insertionMethods.find { it.method == 'upsert' }.matchingKeys", equalTo(
                        List.of(List.of("id"), List.of("email"))));
        String warehouse = Fixtures.destination();
        given().get("/destinations/" + warehouse + "/objects").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("not a data activation destination"));
        given().get("/destinations/" + UUID.randomUUID() + "/objects").then().statusCode(404);
    }

    @Test
    void aMissingRequiredFieldAMissingMatchingKeyAndABadConversionAreAllListed() {
        String body = "{\"sourceId\":\"" + source() + "\",\"destinationId\":\"" + activationDestination() + "\",\"mappings\":[{"
                + "\"stream\":\"signups\",\"destinationObject\":\"contacts\",\"insertionMethod\":\"upsert\","
                + "\"fields\":[{\"source\":[\"contact_email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"signed_up\"],\"destination\":\"age\"}]}]}";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().contentType(ContentType.JSON).body(body)
                .post("/connections").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("mappings[0].matchingKey", "mappings[0].fields", "mappings[0].fields[1]"))
                .body("errors.message", hasItem(containsString("matching key field id must be mapped")))
                .body("errors.message", hasItem(containsString("required field name of contacts is not mapped")))
                .body("errors.message", hasItem(containsString("cannot convert date (signed_up) to integer (age)"))));
    }

    @Test
    void aValidMappingIsCompletedAndPublished() {
        String destination = activationDestination();
        String body = "{\"sourceId\":\"" + source() + "\",\"destinationId\":\"" + destination + "\",\"mappings\":[{"
                + "\"stream\":\"signups\",\"destinationObject\":\"contacts\",\"insertionMethod\":\"upsert\",\"matchingKey\":[\"email\"],"
                + "\"fields\":[{\"source\":[\"contact_email\"],\"destination\":\"email\"},{\"source\":[\"full_name\"],\"destination\":\"name\"},"
                + "{\"source\":[\"age\"],\"destination\":\"age\"},{\"source\":[\"signed_up\"],\"destination\":\"created_on\"}]}]}";
        String id = await().atMost(Duration.ofSeconds(60)).until(() -> given().contentType(ContentType.JSON).body(body)
                .post("/connections").then().extract(), r -> r.statusCode() == 201).path("connectionId");
        given().get("/connections/" + id).then()
                .body("mappings[0].insertionMethod", equalTo("upsert"))
                .body("mappings[0].matchingKey", equalTo(List.of("email")))
                .body("mappings[0].syncMode", equalTo("incremental"))
                .body("streams[0].name", equalTo("signups"))
                .body("streams[0].destinationName", equalTo("contacts"))
                .body("streams[0].fields.name", equalTo(List.of("contact_email", "full_name", "age", "signed_up", "updated_at")));
        ConnectionCreated created = events().awaitOne(Topics.CONNECTIONS, ConnectionCreated.class, c -> c.getConnectionId().equals(id));
        assertThat(created.getConfiguration().getMappings()).singleElement().satisfies(m -> {
            assertThat(m.getDestinationObject()).isEqualTo("contacts");
            assertThat(m.getObjectNamespace()).isEqualTo("public");
            assertThat(m.getFieldMappings()).hasSize(4);
            // the object's fields travel with the mapping: sync-service validates each record against them
            assertThat(m.getObjectFields()).filteredOn(f -> f.getPath().equals(List.of("email")))
                    .singleElement().satisfies(f -> assertThat(f.getNullable()).isFalse());
        });

        // changing the mappings is checked the same way, and ConnectionUpdated carries them
        given().contentType(ContentType.JSON).body("{\"mappings\":[{\"stream\":\"signups\",\"destinationObject\":\"contacts\","
                        + "\"insertionMethod\":\"insert\",\"fields\":[{\"source\":[\"full_name\"],\"destination\":\"name\"}]}]}")
                .patch("/connections/" + id).then().statusCode(400)
                .body("errors.message", hasItem(containsString("required field email of contacts is not mapped")));
        given().contentType(ContentType.JSON).body("{\"mappings\":[{\"stream\":\"signups\",\"destinationObject\":\"contacts\","
                        + "\"insertionMethod\":\"insert\",\"fields\":[{\"source\":[\"full_name\"],\"destination\":\"name\"},"
                        + "{\"source\":[\"contact_email\"],\"destination\":\"email\"}]}]}")
                .patch("/connections/" + id).then().statusCode(200)
                .body("mappings[0].insertionMethod", equalTo("insert"))
                .body("streams[0].fields.name", equalTo(List.of("contact_email", "full_name", "updated_at")));
        ConnectionUpdated updated = events().awaitOne(Topics.CONNECTIONS, ConnectionUpdated.class,
                u -> u.getConnectionId().equals(id) && u.getChangedFields().contains("mappings"));
        assertThat(updated.getConfiguration().getMappings()).singleElement()
                .satisfies(m -> assertThat(m.getInsertionMethod()).isEqualTo("insert"));
        given().contentType(ContentType.JSON).body("{\"streams\":[{\"name\":\"signups\"}]}")
                .patch("/connections/" + id).then().statusCode(400).body("errors.field", hasItem("streams"));
    }

    @Test
    void mappingsBelongToActivationDestinationsOnly() {
        String source = source();
        String elt = Fixtures.destination();
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + elt + "\",\"mappings\":"
                        + "[{\"stream\":\"signups\",\"destinationObject\":\"x\",\"fields\":[{\"source\":[\"a\"],\"destination\":\"b\"}]}]}")
                .post("/connections").then().statusCode(400).body("errors.field", hasItem("mappings"));
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + activationDestination() + "\"}")
                .post("/connections").then().statusCode(400).body("errors.message", hasItem(containsString("needs mappings")));
    }
}
