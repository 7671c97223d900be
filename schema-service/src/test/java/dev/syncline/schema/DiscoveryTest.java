package dev.syncline.schema;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.SchemaDiscoveryFailed;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.SourceConfigured;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "schema"))
class DiscoveryTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static SourceConfigured source(String id, String type, String config) {
        return SourceConfigured.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setActorId(id).setName("Sample").setConnectorType(type).setConfig(config).setVersion(1).build();
    }

    static SchemaDiscoveryRequested request(String actorId) {
        return SchemaDiscoveryRequested.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setActorId(actorId).setRequestId(UUID.randomUUID().toString()).setConnectionId("c-1").build();
    }

    @Test
    void discoversASourceEvenWhenTheRequestArrivesBeforeTheSource() {
        String id = UUID.randomUUID().toString();
        SchemaDiscoveryRequested request = request(id);
        events().send(Topics.SCHEMA_REQUESTS, id, request);          // the request first ...
        events().send(Topics.ACTORS, id, source(id, "sample-data", "{\"seed\":1,\"rows\":5}")); // ... then the source
        SchemaDiscovered d = events().awaitOne(Topics.SCHEMAS, SchemaDiscovered.class,
                e -> e.getRequestId().equals(request.getRequestId()));
        assertThat(d.getActorId()).isEqualTo(id);
        assertThat(d.getCatalogVersion()).isEqualTo(1);
        assertThat(d.getDiff()).isNull();
        assertThat(d.getCatalog().getStreams()).extracting(s -> s.getName()).containsExactly("users", "products", "purchases");
        given().get("/sources/" + id + "/catalog").then().statusCode(200)
                .body("version", equalTo(1))
                .body("catalog.streams.name", hasItem("users"))
                .body("catalog.streams[0].sourceDefinedPrimaryKey[0][0]", equalTo("id"));

        // the same catalog discovered again keeps its version
        SchemaDiscoveryRequested again = request(id);
        events().send(Topics.SCHEMA_REQUESTS, id, again);
        SchemaDiscovered d2 = events().awaitOne(Topics.SCHEMAS, SchemaDiscovered.class,
                e -> e.getRequestId().equals(again.getRequestId()));
        assertThat(d2.getCatalogVersion()).isEqualTo(1);
        assertThat(d2.getCatalogHash()).isEqualTo(d.getCatalogHash());
    }

    @Test
    void aBadConfigFailsTheDiscoveryWithTheConnectorsMessage() {
        String id = UUID.randomUUID().toString();
        events().send(Topics.ACTORS, id, source(id, "sample-data", "{\"rows\":5,\"malformed_rows\":9}"));
        SchemaDiscoveryRequested request = request(id);
        events().send(Topics.SCHEMA_REQUESTS, id, request);
        SchemaDiscoveryFailed f = events().awaitOne(Topics.SCHEMAS, SchemaDiscoveryFailed.class,
                e -> request.getRequestId().equals(e.getRequestId()));
        assertThat(f.getMessage()).contains("malformed_rows");
        assertThat(f.getFailureType()).isEqualTo("config_error");
    }

    @Test
    void checksSourcesAndDestinationsWithARealConnectionAttempt() {
        String source = UUID.randomUUID().toString();
        events().send(Topics.ACTORS, source, source(source, "sample-data", "{\"rows\":5}"));
        String destination = UUID.randomUUID().toString();
        int port = dev.syncline.infra.FreePorts.pick();
        events().send(Topics.ACTORS, destination, dev.syncline.events.DestinationConfigured.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setActorId(destination).setName("W")
                .setConnectorType("postgres").setConfig("{\"host\":\"127.0.0.1\",\"port\":" + port
                        + ",\"database\":\"d\",\"username\":\"u\",\"schema\":\"public\"}").setVersion(1).build());
        for (String actor : new String[] {source, destination}) {
            events().send(Topics.SCHEMA_REQUESTS, actor, dev.syncline.events.CheckRequested.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setActorId(actor)
                    .setRequestId("check-" + actor).build());
        }
        var ok = events().awaitOne(Topics.SCHEMAS, dev.syncline.events.CheckCompleted.class, c -> c.getActorId().equals(source));
        assertThat(ok.getSucceeded()).isTrue();
        var failed = events().awaitOne(Topics.SCHEMAS, dev.syncline.events.CheckCompleted.class,
                c -> c.getActorId().equals(destination));
        assertThat(failed.getSucceeded()).isFalse();
        assertThat(failed.getMessage()).contains("127.0.0.1:" + port + " unreachable");
        assertThat(failed.getRequestId()).isEqualTo("check-" + destination);
    }

    @Test
    void aConnectorThatHangsIsStoppedAtItsOwnTimeoutAndTheOthersGoOn() {
        // an Airbyte-protocol command that never answers: the test profile gives airbyte-process 2 s to check and discover
        String hung = UUID.randomUUID().toString();
        events().send(Topics.ACTORS, hung, source(hung, "airbyte-process", "{\"command\":[\"sh\",\"-c\",\"sleep 60\",\"hang\"]}"));
        SchemaDiscoveryRequested request = request(hung);
        events().send(Topics.SCHEMA_REQUESTS, hung, request);
        events().send(Topics.SCHEMA_REQUESTS, hung, dev.syncline.events.CheckRequested.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setActorId(hung)
                .setRequestId("check-" + hung).build());
        // meanwhile a source that answers is discovered as usual
        String fine = UUID.randomUUID().toString();
        events().send(Topics.ACTORS, fine, source(fine, "sample-data", "{\"seed\":3,\"rows\":5}"));
        SchemaDiscoveryRequested fineRequest = request(fine);
        events().send(Topics.SCHEMA_REQUESTS, fine, fineRequest);

        SchemaDiscoveryFailed f = events().awaitOne(Topics.SCHEMAS, SchemaDiscoveryFailed.class,
                e -> request.getRequestId().equals(e.getRequestId()));
        assertThat(f.getMessage()).contains("did not finish within 2 s", "airbyte-process.discover-timeout");
        assertThat(f.getFailureType()).isEqualTo("transient_error");
        var check = events().awaitOne(Topics.SCHEMAS, dev.syncline.events.CheckCompleted.class,
                c -> c.getActorId().equals(hung));
        assertThat(check.getSucceeded()).isFalse();
        assertThat(check.getMessage()).contains("did not finish within 2 s", "airbyte-process.check-timeout");
        assertThat(events().awaitOne(Topics.SCHEMAS, SchemaDiscovered.class,
                e -> fineRequest.getRequestId().equals(e.getRequestId())).getActorId()).isEqualTo(fine);
    }

    @Test
    void unknownCatalogIsANotFoundProblem() {
        given().get("/sources/" + UUID.randomUUID() + "/catalog").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no catalog"));
        given().get("/sources/nope/catalog").then().statusCode(404).contentType("application/problem+json");
        given().get("/sources/" + UUID.randomUUID() + "/catalog?version=abc").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("version"));
    }

    @Test
    void healthAndMetrics() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
