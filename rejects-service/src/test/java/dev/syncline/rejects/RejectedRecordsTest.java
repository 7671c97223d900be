package dev.syncline.rejects;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "rejects"))
class RejectedRecordsTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static RecordRejected rejected(String connectionId, long jobId, String field, String code) {
        return RecordRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setConnectionId(connectionId).setJobId(jobId).setAttempt(1).setStream("users")
                .setRecord("{\"id\":7,\"age\":\"forty-two\"}")
                .setReasons(List.of(FieldReason.newBuilder().setField(field).setCode(code)
                        .setMessage(field + ": 'forty-two' is not a valid integer").build()))
                .build();
    }

    @Test
    void storesEachRejectedRecordOnceWithItsReasons() {
        String connectionId = UUID.randomUUID().toString();
        RecordRejected r = rejected(connectionId, 12, "age", "TYPE_MISMATCH");
        events().send(Topics.RECORDS_REJECTED, connectionId, r);
        events().send(Topics.RECORDS_REJECTED, connectionId, r); // redelivered
        events().send(Topics.RECORDS_REJECTED, connectionId, rejected(connectionId, 13, "id", "MISSING_REQUIRED"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/rejected-records?connectionId=" + connectionId).then().statusCode(200)
                        .body("size()", equalTo(2)));
        given().get("/rejected-records?connectionId=" + connectionId + "&jobId=12").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].stream", equalTo("users"))
                .body("[0].record.age", equalTo("forty-two"))
                .body("[0].reasons[0].field", equalTo("age"))
                .body("[0].reasons[0].code", equalTo("TYPE_MISMATCH"))
                .body("[0].status", equalTo("open"));
        long id = given().get("/rejected-records?connectionId=" + connectionId + "&jobId=13").then()
                .extract().jsonPath().getLong("[0].id");
        given().get("/rejected-records/" + id).then().statusCode(200).body("reasons.code", hasItem("MISSING_REQUIRED"));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndConsumingGoesOn() {
        String connectionId = UUID.randomUUID().toString();
        events().sendRaw(Topics.RECORDS_REJECTED, connectionId, "not avro at all".getBytes());
        events().send(Topics.RECORDS_REJECTED, connectionId, rejected(connectionId, 21, "age", "TYPE_MISMATCH"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/rejected-records?connectionId=" + connectionId).then().statusCode(200)
                        .body("size()", equalTo(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> events().readRaw(Topics.dlq(Topics.RECORDS_REJECTED)).stream()
                .anyMatch(r -> connectionId.equals(r.key()) && r.headers().lastHeader("dead-letter-reason") != null
                        && keepsOriginal(r, "not avro at all".getBytes())));
    }

    /** The dead letter holds the message as it was sent: as its value, or in SmallRye's failure-data header. */
    static boolean keepsOriginal(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r, byte[] sent) {
        var header = r.headers().lastHeader("deserialization-failure-data");
        return java.util.Arrays.equals(r.value(), sent) || (header != null && java.util.Arrays.equals(header.value(), sent));
    }

    @Test
    void badFiltersAreProblemsNamingTheField() {
        given().get("/rejected-records?connectionId=x").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("connectionId"));
        given().get("/rejected-records?jobId=x").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("jobId"));
        given().get("/rejected-records?limit=5000").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().get("/rejected-records/999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
