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
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.notify.NotificationSender;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.StreamStats;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.SyncSucceeded;
import dev.syncline.events.Topics;
import dev.syncline.testing.WebhookReceiver;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Alerts: a rule's webhook is told once per change of state (a failure, then the recovery; rejections over the
 * threshold), signed, retried through a 500, logged; a test notification; the connection's notificationWebhook field
 * as such a rule, its URL never shown or published; what an intruder or a careless user sends is refused.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class NotificationsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "a-long-random-signing-secret";

    static void failed(String id, long job, boolean pause) {
        events().send(Topics.SYNC_EVENTS, id, SyncFailed.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(id).setJobId(job).setAttempt(3).setStreams(List.of())
                .setMessage("connection refused").setFailureOrigin("destination").setFailureType("transient_error")
                .setRetryable(true).setDurationMillis(5).setConsecutiveFailures(pause ? 30 : 1).setPauseConnection(pause).build());
    }

    static void succeeded(String id, long job, long read, long rejected) {
        events().send(Topics.SYNC_EVENTS, id, SyncSucceeded.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(id).setJobId(job).setAttempt(1)
                .setStreams(List.of(StreamStats.newBuilder().setStream("orders").setRecordsRead(read)
                        .setRecordsWritten(read - rejected).setRecordsRejected(rejected).build())).build());
    }

    static JsonPath log(String id) {
        return given().get("/connections/" + id + "/notifications").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aFailureAndItsRecoveryAreToldOnceEachSignedAndRetriedThroughA500() throws Exception {
        try (WebhookReceiver hook = WebhookReceiver.start().answer(500)) {
            String id = connection(discoveredSource(), destination(), ",\"name\":\"Orders to lake\"");
            String rule = given().contentType(ContentType.JSON).body("{\"name\":\"On call\",\"url\":\"" + hook.url("/hooks/abc?token=t0p")
                    + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"sync_failed\",\"sync_recovered\",\"rejected_records\","
                    + "\"connection_paused\"],\"rejectedPercent\":5}")
                    .post("/connections/" + id + "/notification-rules").then().statusCode(201)
                    .body("url", equalTo("http://127.0.0.1:" + hook.url("").split(":")[2] + "/…"))
                    .body("signed", equalTo(true)).body("appliesToAllConnections", equalTo(false))
                    .body(not(containsString(SECRET))).body(not(containsString("t0p")))
                    .extract().path("ruleId");

            failed(id, 1, false);
            failed(id, 2, false);                                   // still failing: nothing more
            // the rule's card says since when it fails
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/connections/" + id + "/notification-rules")
                    .then().body("[0].firing.condition", equalTo(List.of("sync_failed"))).body("[0].firing[0].since", notNullValue()));
            succeeded(id, 3, 100, 0);                               // recovered
            succeeded(id, 4, 100, 0);                               // still fine: nothing
            succeeded(id, 5, 100, 10);                              // 10% rejected, over 5%
            succeeded(id, 6, 100, 10);                              // still over: nothing
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(log(id).getList("status", String.class))
                    .hasSize(3).containsOnly("delivered"));
            JsonPath log = log(id);
            assertThat(log.getList("event", String.class)).containsExactlyInAnyOrder("rejected_records", "sync_recovered",
                    "sync_failed");
            assertThat(log.getList("attempts", Integer.class)).as("the first answer was a 500, then it was sent again")
                    .containsExactlyInAnyOrder(1, 1, 2);
            assertThat(log.getList("lastStatus", Integer.class)).containsOnly(200);
            given().get("/connections/" + id + "/notification-rules").then()
                    .body("[0].firing.condition", equalTo(List.of("rejected_records")));
            assertThat(log.getString("find { it.event == 'rejected_records' }.summary"))
                    .contains("Orders to lake", "rejected 10 of 100 records (10%, over 5%)");

            List<WebhookReceiver.Received> got = hook.received();
            assertThat(got).extracting(WebhookReceiver.Received::path).containsOnly("/hooks/abc");
            // the 500's retry is one delivery sent twice, and holds nothing else up
            assertThat(got).hasSize(4);
            assertThat(got.stream().map(r -> r.header("X-Syncline-Delivery")).distinct()).hasSize(3);
            assertThat(got).extracting(r -> r.header("X-Syncline-Event")).containsOnly("sync_failed", "sync_recovered",
                    "rejected_records");
            for (WebhookReceiver.Received r : got) {
                assertThat(r.header("X-Syncline-Signature-256")).isEqualTo("sha256=" + NotificationSender.sign(SECRET, r.body()));
                // the replay-proof form: the attempt's time, signed with the body, recent
                long t = Long.parseLong(r.header("X-Syncline-Timestamp"));
                assertThat(t).isBetween(java.time.Instant.now().getEpochSecond() - 300, java.time.Instant.now().getEpochSecond());
                assertThat(r.header("X-Syncline-Signature")).isEqualTo("t=" + t + ",v1=" + NotificationSender.sign(SECRET, t + "." + r.body()));
                assertThat(r.body()).doesNotContain(SECRET);
            }
            JsonNode failure = JSON.readTree(got.stream().filter(r -> r.header("X-Syncline-Event").equals("sync_failed"))
                    .findFirst().orElseThrow().body());
            assertThat(failure.path("connection").path("name").asText()).isEqualTo("Orders to lake");
            assertThat(failure.path("details").path("jobId").asLong()).isEqualTo(1);
            assertThat(failure.path("details").path("message").asText()).isEqualTo("connection refused");

            // the user's second visit: a test notification, as Slack would take it, then the rule removed
            given().contentType(ContentType.JSON).body("{\"format\":\"slack\"}").patch("/notification-rules/" + rule).then()
                    .statusCode(200).body("format", equalTo("slack")).body("signed", equalTo(true));
            given().post("/notification-rules/" + rule + "/test").then().statusCode(202).body("event", equalTo("test"));
            await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().size() == 5);
            JsonNode slack = JSON.readTree(hook.received().get(4).body());
            assertThat(slack.path("text").asText()).startsWith("*Test notification*: Test notification from Syncline for Orders to lake");
            // a pause is told even though nothing else changed
            failed(id, 7, true);
            await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().size() == 7);
            assertThat(hook.received().subList(5, 7)).extracting(r -> r.header("X-Syncline-Event"))
                    .containsExactlyInAnyOrder("sync_failed", "connection_paused");
            given().delete("/notification-rules/" + rule).then().statusCode(204);
            given().get("/connections/" + id + "/notification-rules").then().statusCode(200)
                    .body("ruleId", not(hasItem(rule)));
            given().delete("/notification-rules/" + rule).then().statusCode(404);
        }
    }

    @Test
    void aConnectionsNotificationWebhookIsARuleWhoseUrlIsNeverShownNorPublished() {
        try (WebhookReceiver hook = WebhookReceiver.start()) {
            String url = hook.url("/services/T000/B000/sEcReTtOkEn");
            String id = connection(discoveredSource(), destination(), ",\"notificationWebhook\":\"" + url + "\"");
            String shown = "http://127.0.0.1:" + url.split(":")[2].split("/")[0] + "/…";
            given().get("/connections/" + id).then().statusCode(200).body("notificationWebhook", equalTo(shown))
                    .body(not(containsString("sEcReTtOkEn")));
            given().get("/connections/" + id + "/notification-rules").then().statusCode(200)
                    .body("find { it.fromConnectionField }.url", equalTo(shown))
                    .body("find { it.fromConnectionField }.events", hasItems("sync_failed", "connection_paused"));
            // sending the shown form back (a client's round trip) changes nothing; a new URL replaces it
            given().contentType(ContentType.JSON).body("{\"notificationWebhook\":\"" + shown + "\",\"prefix\":\"x_\"}")
                    .patch("/connections/" + id).then().log().ifValidationFails().statusCode(200);
            ConnectionUpdated updated = events().awaitOne(Topics.CONNECTIONS, ConnectionUpdated.class,
                    e -> e.getConnectionId().equals(id));
            assertThat(updated.toString()).doesNotContain("sEcReTtOkEn");
            assertThat(updated.getChangedFields()).doesNotContain("notificationWebhook");
            failed(id, 1, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> hook.received().size() == 1);
            assertThat(hook.received().get(0).path()).isEqualTo("/services/T000/B000/sEcReTtOkEn");
            assertThat(hook.received().get(0).header("X-Syncline-Signature-256")).as("no secret, no signature").isNull();
            assertThat(hook.received().get(0).header("X-Syncline-Signature")).isNull();
            // emptied: the rule goes
            given().contentType(ContentType.JSON).body("{\"notificationWebhook\":\"\"}").patch("/connections/" + id).then()
                    .statusCode(200);
            given().get("/connections/" + id + "/notification-rules").then().body("findAll { it.fromConnectionField }.size()", equalTo(0));
        }
    }

    @Test
    void aWebhookMayNotPointAtSynclineItselfAndBadRulesSayWhichField() {
        String id = connection(discoveredSource(), destination(), "");
        String kafka = InfrastructureResource.infrastructure().platformTargets().get(0);
        given().contentType(ContentType.JSON).body("{\"url\":\"http://" + kafka + "/x\",\"events\":[\"sync_failed\","
                        + "\"sync_slow\"],\"secret\":\"short\",\"format\":\"xml\"}")
                .post("/connections/" + id + "/notification-rules").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("events[1]", "secret", "format"));
        given().contentType(ContentType.JSON).body("{\"url\":\"http://" + kafka + "/x\"}")
                .post("/connections/" + id + "/notification-rules").then().statusCode(400)
                .body("errors[0].field", equalTo("url")).body("errors[0].message", containsString("Syncline itself"));
        given().contentType(ContentType.JSON).body("{\"url\":\"ftp://example.com/x\"}").post("/notification-rules").then()
                .statusCode(400).body("errors[0].field", equalTo("url"));
        given().contentType(ContentType.JSON).body("{\"url\":\"http://user:pw@example.com/x\"}").post("/notification-rules").then()
                .statusCode(400).body("errors[0].message", containsString("user name or password"));
        // the connection field too
        given().contentType(ContentType.JSON).body("{\"notificationWebhook\":\"http://" + kafka + "/\"}")
                .patch("/connections/" + id).then().statusCode(400).body("errors[0].field", equalTo("notificationWebhook"));
        given().contentType(ContentType.JSON).body("{\"notificationWebhook\":\"https://hooks.example.com/a b\"}")
                .patch("/connections/" + id).then().statusCode(400).body("errors[0].field", equalTo("notificationWebhook"));
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\""
                + destination() + "\",\"notificationWebhook\":\"https://hooks.example.com/%zz\"}").post("/connections").then()
                .statusCode(400).body("errors.field", hasItem("notificationWebhook"));
        given().contentType(ContentType.JSON).body("{\"url\":\"http://example.com/x\"}")
                .post("/connections/" + UUID.randomUUID() + "/notification-rules").then().statusCode(404);
        given().get("/connections/" + id + "/notifications?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().post("/notification-rules/nope/test").then().statusCode(404);
    }
}
