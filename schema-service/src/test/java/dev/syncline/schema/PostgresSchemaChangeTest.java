package dev.syncline.schema;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.SourceConfigured;
import dev.syncline.events.Topics;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL source: its schema changes become a diff; a 10,000-table database is discovered and served. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "schema"))
class PostgresSchemaChangeTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static void sql(String database, String statements) throws Exception {
        try (Connection c = InfrastructureResource.infrastructure().postgres().connect(database); Statement st = c.createStatement()) {
            st.execute(statements);
        }
    }

    String postgresSource(String database, String schema) {
        String id = UUID.randomUUID().toString();
        PostgresServer pg = InfrastructureResource.infrastructure().postgres();
        events().send(Topics.ACTORS, id, SourceConfigured.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(id).setName("pg").setConnectorType("postgres")
                .setConfig("{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"" + database + "\","
                        + pg.superuser().configMembers() + ",\"schemas\":[\"" + schema + "\"]}")
                .setVersion(1).build());
        return id;
    }

    SchemaDiscovered discover(String actorId) {
        String request = UUID.randomUUID().toString();
        events().send(Topics.SCHEMA_REQUESTS, actorId, SchemaDiscoveryRequested.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(actorId).setRequestId(request).build());
        return events().await(Topics.SCHEMAS, SchemaDiscovered.class, e -> request.equals(e.getRequestId()), 1,
                Duration.ofSeconds(120)).getFirst();
    }

    @Test
    void aColumnAddedAColumnRemovedAndATableAddedMakeTheDiff() throws Exception {
        String db = InfrastructureResource.newDatabase("shop");
        sql(db, "create table public.orders (id bigint primary key, name text, updated_at timestamptz)");
        String source = postgresSource(db, "public");
        SchemaDiscovered v1 = discover(source);
        assertThat(v1.getCatalogVersion()).isEqualTo(1);
        sql(db, "alter table public.orders add column email text; alter table public.orders drop column name; "
                + "create table public.customers (id bigint primary key)");
        SchemaDiscovered v2 = discover(source);
        assertThat(v2.getCatalogVersion()).isEqualTo(2);
        assertThat(v2.getDiff().getStreamsAdded()).extracting(s -> s.getName()).containsExactly("customers");
        assertThat(v2.getDiff().getFieldChanges()).extracting(c -> c.getStream() + "." + String.join(".", c.getField()) + ":" + c.getChange())
                .containsExactlyInAnyOrder("orders.email:added", "orders.name:removed");
        given().get("/sources/" + source + "/catalog/diff?from=1&to=2").then().statusCode(200)
                .body("diff.streamsAdded.name", hasItem("customers"));
        given().get("/sources/" + source + "/catalog/diff?from=1").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
    }

    @Test
    void tenThousandTablesAreDiscoveredPublishedAndServedInPages() throws Exception {
        String db = InfrastructureResource.newDatabase("many");
        sql(db, "create schema many");
        for (int from = 1; from <= 10_000; from += 1000) {
            sql(db, "do $$ begin for i in " + from + ".." + (from + 999) + " loop execute format("
                    + "'create table many.t%s (id int primary key, name text, amount numeric, updated_at timestamptz)', i); "
                    + "end loop; end $$;");
        }
        String source = postgresSource(db, "many");
        long t0 = System.nanoTime();
        SchemaDiscovered d = discover(source);
        System.out.printf("[schema-service] 10,000 tables discovered, stored and published in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(d.getCatalog().getStreams()).hasSize(10_000);
        given().get("/sources/" + source + "/catalog?offset=9990&limit=500").then().statusCode(200)
                .body("streamCount", equalTo(10_000)).body("catalog.streams.size()", equalTo(10));
        given().get("/sources/" + source + "/catalog?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }
}
