package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.syncline.events.ActorDeleted;
import dev.syncline.events.CheckCompleted;
import dev.syncline.events.CheckRequested;
import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sources and destinations after creation: their check, changes, deletion. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ActorLifecycleTest {
    static final String PASSWORD = "k33p-me-S3cret";

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    String destination() {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"W\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"h\",\"port\":5432,"
                        + "\"database\":\"d\",\"username\":\"u\",\"password\":\"" + PASSWORD + "\",\"schema\":\"public\"}}")
                .post("/destinations").then().statusCode(201).body("check.status", equalTo("pending"))
                .extract().path("destinationId");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413ProblemJsonAndNothingIsStored() {
        int before = given().get("/sources").then().statusCode(200).extract().path("size()");
        String huge = "{\"name\":\"Huge\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1},\"padding\":\""
                + "x".repeat(5 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/sources").then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", containsString("at most 4194304"))
                .body("errors[0].field", equalTo("body"));
        given().get("/sources").then().statusCode(200).body("size()", equalTo(before));
    }

    @Test
    void aClientThatSendsAnOversizedBodyStraightAwayStillReadsThe413() throws Exception {
        String huge = "{\"name\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        for (var version : java.net.http.HttpClient.Version.values()) {
            for (boolean expectContinue : new boolean[] {false, true}) {
                if (version == java.net.http.HttpClient.Version.HTTP_2 && expectContinue) {
                    continue; // the JDK's client cannot wait for 100 Continue through an h2c upgrade (its own limit)
                }
                var client = java.net.http.HttpClient.newBuilder().version(version).build();
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/sources"))
                        .header("Authorization", "Bearer " + dev.syncline.testing.TestKeys.ADMIN)
                        .header("Content-Type", "application/json").expectContinue(expectContinue)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(huge)).build();
                var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(version + " expect-continue " + expectContinue).isEqualTo(413);
                assertThat(response.body()).contains("at most 4194304");
            }
        }
    }

    @Test
    void aCheckRunsOnCreationAndOnDemandAndItsResultIsShown() {
        String id = destination();
        CheckRequested first = events().awaitOne(Topics.SCHEMA_REQUESTS, CheckRequested.class, r -> r.getActorId().equals(id));
        // schema-service's answer, played here
        events().send(Topics.SCHEMAS, id, CheckCompleted.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(id).setRequestId(first.getRequestId()).setSucceeded(false)
                .setMessage("password authentication failed for user u").build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/destinations/" + id).then()
                .body("check.status", equalTo("failed"))
                .body("check.message", equalTo("password authentication failed for user u")));
        given().post("/destinations/" + id + "/check").then().statusCode(202).body("check.status", equalTo("pending"));
        assertThat(events().await(Topics.SCHEMA_REQUESTS, CheckRequested.class, r -> r.getActorId().equals(id), 2,
                Duration.ofSeconds(60))).hasSize(2);
    }

    @Test
    void aMaskedSecretSentBackKeepsItsValue() {
        String id = destination();
        DestinationConfigured before = events().awaitOne(Topics.ACTORS, DestinationConfigured.class,
                d -> d.getActorId().equals(id));
        given().contentType(ContentType.JSON).body("{\"name\":\"W2\",\"configuration\":{\"host\":\"other\",\"port\":5432,"
                        + "\"database\":\"d\",\"username\":\"u\",\"password\":\"**********\",\"schema\":\"public\"}}")
                .patch("/destinations/" + id).then().statusCode(200)
                .body("name", equalTo("W2")).body("configuration.host", equalTo("other"))
                .body("configuration.password", equalTo("**********"));
        DestinationConfigured after = events().awaitOne(Topics.ACTORS, DestinationConfigured.class,
                d -> d.getActorId().equals(id) && d.getVersion() == 2);
        String cipher = before.getConfig().replaceAll(".*\"password\":\"(enc:v1:[^\"]+)\".*", "$1");
        assertThat(after.getConfig()).contains(cipher).contains("\"host\":\"other\"").doesNotContain(PASSWORD);
        given().contentType(ContentType.JSON).body("{\"configuration\":{\"port\":\"x\"}}").patch("/destinations/" + id)
                .then().statusCode(400).body("errors.field", hasItem("configuration.port"));
    }

    @Test
    void anActorInUseCannotBeDeletedAnUnusedOneCan() {
        String source = given().contentType(ContentType.JSON)
                .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                .post("/sources").then().statusCode(201).extract().path("sourceId");
        String destination = destination();
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\"}")
                .post("/connections").then().statusCode(201);
        given().delete("/sources/" + source).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("used by connection"));
        String unused = destination();
        given().delete("/destinations/" + unused).then().statusCode(204);
        given().get("/destinations/" + unused).then().statusCode(404);
        events().awaitOne(Topics.ACTORS, ActorDeleted.class, d -> d.getActorId().equals(unused));
    }
}
