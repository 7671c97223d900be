package dev.syncline.connection;

import static dev.syncline.connection.Fixtures.connection;
import static dev.syncline.connection.Fixtures.destination;
import static dev.syncline.connection.Fixtures.discoveredSource;
import static dev.syncline.connection.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.syncline.events.ClearRequested;
import dev.syncline.events.ConnectionStateChanged;
import dev.syncline.events.RefreshRequested;
import dev.syncline.events.StreamStats;
import dev.syncline.events.SyncCancelRequested;
import dev.syncline.events.SyncSucceeded;
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

/** Enable, disable, delete; the timeline; cancel, clear, refresh; listing. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ConnectionLifecycleTest {

    void patch(String id, String body, int status) {
        given().contentType(ContentType.JSON).body(body).patch("/connections/" + id).then().statusCode(status);
    }

    @Test
    void onlyAllowedStateChangesHappenAndEachIsPublished() {
        String id = connection(discoveredSource(), destination(), "");
        patch(id, "{\"status\":\"inactive\"}", 200);
        ConnectionStateChanged disabled = events().awaitOne(Topics.CONNECTIONS, ConnectionStateChanged.class,
                e -> e.getConnectionId().equals(id) && e.getToState().equals("inactive"));
        assertThat(disabled.getFromState()).isEqualTo("active");
        assertThat(disabled.getActor()).isEqualTo("user");
        given().post("/connections/" + id + "/sync").then().statusCode(409).body("detail", containsString("inactive"));
        patch(id, "{\"status\":\"paused\"}", 400);                       // only Syncline pauses
        patch(id, "{\"status\":\"active\"}", 200);
        given().post("/connections/" + id + "/sync").then().statusCode(202);
        given().delete("/connections/" + id).then().statusCode(204);
        given().get("/connections/" + id).then().statusCode(200).body("status", equalTo("deprecated"));
        patch(id, "{\"name\":\"x\"}", 409);
        given().post("/connections/" + id + "/sync").then().statusCode(409);
    }

    @Test
    void theTimelineTellsWhatHappenedNewestFirst() {
        String id = connection(discoveredSource(), destination(), "");
        patch(id, "{\"name\":\"Orders\"}", 200);
        patch(id, "{\"status\":\"inactive\"}", 200);
        events().send(Topics.SYNC_EVENTS, id, SyncSucceeded.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(id).setJobId(7).setAttempt(1)
                .setStreams(List.of(StreamStats.newBuilder().setStream("orders").setRecordsRead(10).setRecordsWritten(9)
                        .setRecordsRejected(1).build())).build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + id + "/timeline").then()
                .statusCode(200)
                .body("kind", equalTo(List.of("sync_succeeded", "state_changed", "settings_updated", "connection_created")))
                .body("[0].summary", equalTo("Sync succeeded: 10 records read, 9 written, 1 rejected"))
                .body("[0].details.jobId", equalTo(7))
                .body("[1].summary", equalTo("Disabled"))
                .body("[2].details.changedFields", equalTo(List.of("name"))));
    }

    @Test
    void syncServiceAskingForAPauseAfterRepeatedFailuresPausesTheConnection() {
        String id = connection(discoveredSource(), destination(), "");
        events().send(Topics.SYNC_EVENTS, id, dev.syncline.events.SyncFailed.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(id).setJobId(8).setAttempt(3).setStreams(List.of())
                .setMessage("connection refused").setFailureOrigin("destination").setFailureType("transient_error")
                .setRetryable(true).setDurationMillis(5).setConsecutiveFailures(30).setPauseConnection(true).build());
        ConnectionStateChanged paused = events().awaitOne(Topics.CONNECTIONS, ConnectionStateChanged.class,
                e -> e.getConnectionId().equals(id) && e.getToState().equals("paused"));
        assertThat(paused.getActor()).isEqualTo("system");
        assertThat(paused.getReason()).isEqualTo("30 syncs failed in a row; the last: connection refused");
        given().get("/connections/" + id).then().body("status", equalTo("paused"));
        patch(id, "{\"status\":\"active\"}", 200);                      // the user enables it again
    }

    @Test
    void cancelClearAndRefreshBecomeCommandsForSyncService() {
        String id = connection(discoveredSource(), destination(), "");
        given().post("/connections/" + id + "/cancel").then().statusCode(202).body("action", equalTo("cancel"));
        events().awaitOne(Topics.SYNC_COMMANDS, SyncCancelRequested.class, e -> e.getConnectionId().equals(id));

        given().contentType(ContentType.JSON).body("{\"streams\":[{\"name\":\"orders\"}]}").post("/connections/" + id + "/clear")
                .then().statusCode(202);
        ClearRequested clear = events().awaitOne(Topics.SYNC_COMMANDS, ClearRequested.class, e -> e.getConnectionId().equals(id));
        assertThat(clear.getStreams()).extracting(s -> s.getName()).containsExactly("orders");
        given().contentType(ContentType.JSON).body("{\"streams\":[{\"name\":\"nope\"}]}").post("/connections/" + id + "/clear")
                .then().statusCode(400).body("errors.message", hasItem(containsString("does not sync a stream nope")));

        // events is full refresh: keeping its old records makes no sense
        given().contentType(ContentType.JSON).body("{\"mode\":\"retain\"}").post("/connections/" + id + "/refresh")
                .then().statusCode(400).body("errors.field", hasItem("mode"))
                .body("errors.message", hasItem(containsString("events")));
        given().contentType(ContentType.JSON).body("{\"mode\":\"retain\",\"streams\":[{\"name\":\"orders\"}]}")
                .post("/connections/" + id + "/refresh").then().statusCode(202);
        given().contentType(ContentType.JSON).body("{\"mode\":\"remove\"}").post("/connections/" + id + "/refresh")
                .then().statusCode(202);
        assertThat(events().await(Topics.SYNC_COMMANDS, RefreshRequested.class, e -> e.getConnectionId().equals(id), 2,
                Duration.ofSeconds(60))).extracting(RefreshRequested::getMode).containsExactly("retain", "remove");
        given().contentType(ContentType.JSON).body("{\"mode\":\"later\"}").post("/connections/" + id + "/refresh")
                .then().statusCode(400).body("errors.field", hasItem("mode"));
    }

    @Test
    void listingFiltersAndPages() {
        String source = discoveredSource();
        String destination = destination();
        String tag = given().contentType(ContentType.JSON).body("{\"name\":\"l-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"color\":\"#00AA00\"}").post("/tags").then().statusCode(201).extract().path("tagId");
        String a = connection(source, destination, ",\"prefix\":\"a_\",\"tags\":[\"" + tag + "\"]");
        String b = connection(source, destination, ",\"prefix\":\"b_\"");
        String c = connection(source, destination, ",\"prefix\":\"c_\"");
        patch(c, "{\"status\":\"inactive\"}", 200);
        given().get("/connections?sourceId=" + source).then().statusCode(200).body("data.size()", equalTo(3));
        given().get("/connections?sourceId=" + source + "&status=inactive").then().body("data.connectionId", equalTo(List.of(c)));
        given().get("/connections?tagId=" + tag).then().body("data.connectionId", equalTo(List.of(a)));
        String next = given().get("/connections?sourceId=" + source + "&limit=2").then().body("data.connectionId",
                equalTo(List.of(a, b))).body("next", not(nullValue())).extract().path("next");
        given().get("/connections?sourceId=" + source + "&limit=2&cursor=" + next).then()
                .body("data.connectionId", equalTo(List.of(c))).body("next", nullValue());
        given().get("/connections?status=sleeping&limit=0&cursor=zzz").then().statusCode(400)
                .body("errors.field", equalTo(List.of("limit", "status", "cursor")));
    }
}
