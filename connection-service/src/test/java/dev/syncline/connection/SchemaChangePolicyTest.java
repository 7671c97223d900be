package dev.syncline.connection;

import static dev.syncline.connection.Fixtures.connection;
import static dev.syncline.connection.Fixtures.destination;
import static dev.syncline.connection.Fixtures.discoveredSource;
import static dev.syncline.connection.Fixtures.events;
import static dev.syncline.connection.Fixtures.field;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each schema-change policy after a column is added, a column removed and a stream added (catalog v2), and a
 * breaking change (v3: the cursor removed) pausing the connection whatever its policy.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class SchemaChangePolicyTest {

    static StreamDescriptor orders(List<String> fields) {
        return StreamDescriptor.newBuilder().setName("orders")
                .setFields(fields.stream().map(f -> field(f, f.equals("id") ? "integer" : f.equals("updated_at") ? "timestamp_tz" : "string")).toList())
                .setSupportedSyncModes(List.of("full_refresh", "incremental"))
                .setDefaultCursorField(fields.contains("updated_at") ? List.of("updated_at") : List.of())
                .setSourceDefinedPrimaryKey(List.of(List.of("id"))).build();
    }

    static StreamDescriptor plain(String name) {
        return StreamDescriptor.newBuilder().setName(name).setFields(List.of(field("id", "integer"), field("name", "string")))
                .setSupportedSyncModes(List.of("full_refresh")).build();
    }

    static FieldChange change(String stream, String field, String kind) {
        return FieldChange.newBuilder().setStream(stream).setField(List.of(field)).setChange(kind).build();
    }

    static void discovered(String source, long version, List<StreamDescriptor> streams, SchemaDiff diff) {
        events().send(Topics.SCHEMAS, source, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(source).setCatalogVersion(version).setCatalogHash("v" + version)
                .setCatalog(Catalog.newBuilder().setStreams(streams).build()).setDiff(diff).build());
    }

    static String policy(String source, String destination, String policy) {
        return connection(source, destination, ",\"prefix\":\"" + policy + "_\",\"schemaChangePolicy\":\"" + policy + "\"");
    }

    @Test
    void eachPolicyThenABreakingChange() {
        String source = discoveredSource(); // v1: orders (id, name, updated_at), events
        String destination = destination();
        String columns = policy(source, destination, "propagate_columns");
        String fully = policy(source, destination, "propagate_fully");
        String ignore = policy(source, destination, "ignore");
        String disable = policy(source, destination, "disable");

        // v2: orders gains email and loses name; a new stream customers
        discovered(source, 2, List.of(orders(List.of("id", "updated_at", "email")), plain("events"), plain("customers")),
                SchemaDiff.newBuilder().setStreamsAdded(List.of(StreamRef.newBuilder().setName("customers").build()))
                        .setStreamsRemoved(List.of())
                        .setFieldChanges(List.of(change("orders", "email", "added"), change("orders", "name", "removed"))).build());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + columns).then()
                .body("streams.name", equalTo(List.of("orders", "events")))
                .body("streams.find { it.name == 'orders' }.fields.name", equalTo(List.of("id", "updated_at", "email"))));
        given().get("/connections/" + fully).then()
                .body("streams.name", equalTo(List.of("orders", "events", "customers")))
                .body("streams.find { it.name == 'orders' }.fields.name", equalTo(List.of("id", "updated_at", "email")));
        // ignore: nothing changes until the user approves
        given().get("/connections/" + ignore).then().body("status", equalTo("active"))
                .body("streams.find { it.name == 'orders' }.fields.name", equalTo(List.of("id", "name", "updated_at")));
        given().get("/connections/" + ignore + "/schema-changes").then().body("size()", equalTo(1))
                .body("[0].diff.streamsAdded[0].name", equalTo("customers"));
        // what approving would do to each table (issue 22, item 2), applying nothing
        // (events, read in overwrite mode, lost updated_at in v2 too: approving applies the source as it is now)
        given().get("/connections/" + ignore + "/schema-changes/preview").then().statusCode(200)
                .body("tables.size()", equalTo(3))
                .body("tables[0].table", equalTo("public.ignore_orders")).body("tables[0].effect", equalTo("changed"))
                .body("tables[0].columns.find { it.column == 'email' }.change", equalTo("added"))
                .body("tables[0].columns.find { it.column == 'email' }.toType", equalTo("string"))
                .body("tables[0].columns.find { it.column == 'name' }.change", equalTo("removed"))
                .body("tables[0].columns.find { it.column == 'name' }.effect", containsString("stays in the table"))
                .body("tables[1].table", equalTo("public.ignore_events"))
                .body("tables[1].columns[0].column", equalTo("updated_at"))
                .body("tables[1].columns[0].effect", equalTo("dropped when the next sync rebuilds the table"))
                .body("tables[2].table", equalTo("public.ignore_customers")).body("tables[2].effect", equalTo("new_table"))
                .body("tables[2].summary", containsString("created by the next sync"));
        given().get("/connections/" + ignore).then()
                .body("streams.find { it.name == 'orders' }.fields.name", equalTo(List.of("id", "name", "updated_at")));
        given().post("/connections/" + ignore + "/schema-changes/approve").then().statusCode(200)
                .body("streams.name", equalTo(List.of("orders", "events", "customers")))
                .body("streams.find { it.name == 'orders' }.fields.name", equalTo(List.of("id", "updated_at", "email")));
        given().get("/connections/" + ignore + "/schema-changes").then().body("size()", equalTo(0));
        given().get("/connections/" + ignore + "/schema-changes/preview").then().statusCode(200).body("tables.size()", equalTo(0));
        // disable: syncs stop until reviewed
        given().get("/connections/" + disable).then().body("status", equalTo("paused"));
        given().post("/connections/" + disable + "/sync").then().statusCode(409);

        // v3: the cursor of orders is gone: every connection syncing orders incrementally is paused, with the reason
        discovered(source, 3, List.of(orders(List.of("id", "email")), plain("events"), plain("customers")),
                SchemaDiff.newBuilder().setStreamsAdded(List.of()).setStreamsRemoved(List.of())
                        .setFieldChanges(List.of(change("orders", "updated_at", "removed"))).build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + columns).then()
                .body("status", equalTo("paused")));
        given().get("/connections/" + columns + "/timeline").then()
                .body("[0].summary", containsString("SCHEMA_CHANGE_BREAKING: stream orders: cursor field updated_at was removed"));
        given().get("/connections/" + fully + "/schema-changes").then()
                .body("[0].breaking", equalTo("stream orders: cursor field updated_at was removed"));
    }
}
