package dev.syncline.rejects;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.syncline.events.FieldReason;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RejectedRecordsDismissed;
import dev.syncline.events.RejectedRecordsUpdated;
import dev.syncline.events.Topics;
import dev.syncline.rejects.record.Retention;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "rejects"))
class RejectedRecordsTest {
    @Inject
    Retention retention;

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    @Test
    void anExportedRowWithAMissingValueKeepsItsCells() {
        String connectionId = UUID.randomUUID().toString();
        events().send(Topics.RECORDS_REJECTED, connectionId, RecordRejected.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(connectionId).setJobId(41).setStream("users")
                .setRecord("{\"id\":null,\"name\":\"Tim\"}").setReasons(List.of(FieldReason.newBuilder().setField("id")
                        .setCode("MISSING_REQUIRED").setMessage("id is required").build())).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 1);
        String csv = given().get("/rejected-records/export?connectionId=" + connectionId).then().statusCode(200).extract().asString();
        assertThat(csv.lines().toList()).containsExactly("id,name,rejected_reason,rejected_field,rejected_message",
                ",Tim,MISSING_REQUIRED,id,\"id is required\"");
    }

    static RecordRejected rejected(String connectionId, long jobId, String field, String code) {
        return RecordRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setConnectionId(connectionId).setJobId(jobId).setAttempt(1).setStream("users")
                .setRecord("{\"id\":7,\"age\":\"forty-two\"}")
                .setReasons(List.of(FieldReason.newBuilder().setField(field).setCode(code)
                        .setMessage(field + ": 'forty-two' is not a valid integer").build()))
                .build();
    }

    /** A contact refused by an activation destination, keyed by its id. */
    static RecordRejected contact(String connectionId, long jobId, int id, String field, String code, Instant at) {
        return RecordRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setConnectionId(connectionId).setJobId(jobId).setAttempt(1).setStreamNamespace("public").setStream("contacts")
                .setDestinationObject("contacts").setInsertionMethod("upsert").setRecordKey("{\"id\":" + id + "}")
                .setRecord("{\"id\":" + id + ",\"email\":\"c" + id + "(at)example.com\",\"tags\":[\"a\",\"b\"]}")
                .setMappedPayload("{\"id\":" + id + ",\"email\":\"c" + id + "(at)example.com\"}")
                .setReasons(List.of(FieldReason.newBuilder().setField(field).setCode(code).setMessage(field + " is bad, \"quoted\", here").build()))
                .build();
    }

    static JsonPath page(String query) {
        return given().get("/rejected-records?" + query).then().statusCode(200).extract().jsonPath();
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
                        .body("data.size()", equalTo(2)));
        given().get("/rejected-records?connectionId=" + connectionId + "&jobId=12").then().statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].stream", equalTo("users"))
                .body("data[0].record.age", equalTo("forty-two"))
                .body("data[0].reasons[0].field", equalTo("age"))
                .body("data[0].reasons[0].code", equalTo("TYPE_MISMATCH"))
                .body("data[0].status", equalTo("open"))
                .body("next", nullValue());
        long id = given().get("/rejected-records?connectionId=" + connectionId + "&jobId=13").then()
                .extract().jsonPath().getLong("data[0].id");
        given().get("/rejected-records/" + id).then().statusCode(200).body("reasons.code", hasItem("MISSING_REQUIRED"));
    }

    @Test
    void aRecordsRejectedEventIsStoredAsItsRejectionsEachOnce() {
        String connectionId = UUID.randomUUID().toString();
        List<RecordRejected> rejections = List.of(rejected(connectionId, 31, "age", "TYPE_MISMATCH"),
                rejected(connectionId, 31, "id", "MISSING_REQUIRED"), rejected(connectionId, 31, "age", "TYPE_MISMATCH"));
        dev.syncline.events.RecordsRejected many = dev.syncline.events.RecordsRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setConnectionId(connectionId)
                .setJobId(31).setRejections(rejections).build();
        events().send(Topics.RECORDS_REJECTED, connectionId, many);
        events().send(Topics.RECORDS_REJECTED, connectionId, many); // redelivered
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 3);
        assertThat(page("connectionId=" + connectionId + "&reasonCode=TYPE_MISMATCH").getList("data")).hasSize(2);
    }

    @Test
    void aMessageWithARecordThatCannotBeStoredKeepsTheOthersAndItsReplayAddsOnlyThatOne() {
        String connectionId = UUID.randomUUID().toString();
        RecordRejected bad = rejected(connectionId, 41, "age", "TYPE_MISMATCH");
        bad.setConnectionId("not-a-connection-id"); // not a UUID: the record cannot be stored
        dev.syncline.events.RecordsRejected many = dev.syncline.events.RecordsRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setConnectionId(connectionId)
                .setJobId(41).setRejections(List.of(rejected(connectionId, 41, "age", "TYPE_MISMATCH"), bad,
                        rejected(connectionId, 41, "id", "MISSING_REQUIRED"))).build();
        events().send(Topics.RECORDS_REJECTED, connectionId, many);
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> events().readRaw(Topics.dlq(Topics.RECORDS_REJECTED)).stream()
                .anyMatch(r -> connectionId.equals(r.key()) && r.headers().lastHeader("dead-letter-reason") != null));

        // the dead letter replayed once its bad record is mended: the message now stores whole, and only the record
        // that was missing is added (the two stored alone before are not stored twice)
        bad.setConnectionId(connectionId);
        events().send(Topics.RECORDS_REJECTED, connectionId, many);
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() >= 3);
        // sent after the replay, with the same key (same partition): once it is stored, the replay has been handled
        events().send(Topics.RECORDS_REJECTED, connectionId, rejected(connectionId, 42, "age", "TYPE_MISMATCH"));
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId + "&jobId=42").getList("data").size() == 1);
        assertThat(page("connectionId=" + connectionId + "&jobId=41").getList("data.reasons.flatten().code", String.class))
                .containsExactlyInAnyOrder("TYPE_MISMATCH", "TYPE_MISMATCH", "MISSING_REQUIRED");
    }

    @Test
    void filtersPagesCountsAndExports() {
        String connectionId = UUID.randomUUID().toString();
        Instant t0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 1; i <= 25; i++) {
            String code = i % 5 == 0 ? "TOO_LONG" : "INVALID_FORMAT";
            events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, i <= 20 ? 1 : 2, i,
                    code.equals("TOO_LONG") ? "name" : "email", code, t0.plusSeconds(i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> page("limit=1000&connectionId=" + connectionId).getList("data").size() == 25);

        // cursor paging, oldest first, then newest first
        List<Integer> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath p = page("connectionId=" + connectionId + "&limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
            p.getList("data.record.id", Integer.class).forEach(ids::add);
            cursor = p.getString("next");
        } while (cursor != null);
        assertThat(ids).hasSize(25).isSorted().doesNotHaveDuplicates();
        assertThat(page("connectionId=" + connectionId + "&limit=3&sort=-rejectedAt").getList("data.record.id", Integer.class))
                .containsExactly(25, 24, 23);

        // filters
        assertThat(page("connectionId=" + connectionId + "&reasonCode=TOO_LONG").getList("data")).hasSize(5);
        assertThat(page("connectionId=" + connectionId + "&field=email&jobId=1").getList("data")).hasSize(16);
        assertThat(page("connectionId=" + connectionId + "&destinationObject=contacts&stream=contacts").getList("data")).hasSize(25);
        assertThat(page("connectionId=" + connectionId + "&from=" + t0.plusSeconds(11) + "&to=" + t0.plusSeconds(21))
                .getList("data.record.id", Integer.class)).containsExactly(11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        assertThat(page("connectionId=" + connectionId + "&status=dismissed").getList("data")).isEmpty();
        given().get("/rejected-records?connectionId=" + connectionId + "&limit=1").then()
                .body("data[0].mappedPayload.email", equalTo("c1(at)example.com"))
                .body("data[0].recordKey", equalTo("{\"id\":1}"))
                .body("data[0].insertionMethod", equalTo("upsert"));

        // counts for the connection's page
        JsonPath counts = given().get("/rejected-records/counts?connectionId=" + connectionId).then().statusCode(200).extract().jsonPath();
        assertThat(counts.getLong("total")).isEqualTo(25);
        assertThat(counts.getList("byStatus.status")).containsExactly("open");
        assertThat(counts.getList("byJob.jobId", Long.class)).containsExactly(2L, 1L);
        assertThat(counts.getList("byJob.count", Long.class)).containsExactly(5L, 20L);
        assertThat(counts.getList("byStream.stream")).containsExactly("public.contacts");
        assertThat(counts.getList("byReason.code")).containsExactly("INVALID_FORMAT", "TOO_LONG");
        assertThat(counts.getList("byReason.count", Long.class)).containsExactly(20L, 5L);

        // exports: the source's fields, then the reasons, like Airbyte's rejected-record files
        String csv = given().get("/rejected-records/export?format=csv&connectionId=" + connectionId).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(26).doesNotContain("");
        assertThat(lines.getFirst()).isEqualTo("id,email,tags,rejected_reason,rejected_field,rejected_message");
        assertThat(lines.get(1)).isEqualTo("1,\"c1(at)example.com\",\"[\"\"a\"\",\"\"b\"\"]\",INVALID_FORMAT,email,"
                + "\"email is bad, \"\"quoted\"\", here\"");
        String jsonl = given().get("/rejected-records/export?format=jsonl&reasonCode=TOO_LONG&connectionId=" + connectionId)
                .then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        assertThat(jsonl.lines().toList()).hasSize(5).first().satisfies(l -> assertThat(JsonPath.from(l).getString("rejected_field"))
                .isEqualTo("name"));
        given().get("/rejected-records/export?format=xml").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("format"));
    }

    @Test
    void aRejectionSupersedesAnEarlierOneUnlessSyncServiceSaysThereIsNone() {
        String connectionId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, 1, 9, "email", "INVALID_FORMAT", now));
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 1);
        // false: sync-service knows no earlier rejection of the key is open (here it is wrong on purpose), no lookup
        RecordRejected none = contact(connectionId, 2, 9, "email", "INVALID_FORMAT", now.plusSeconds(1));
        none.setSupersedes(false);
        events().send(Topics.RECORDS_REJECTED, connectionId, none);
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 2);
        assertThat(page("connectionId=" + connectionId + "&status=open").getList("data.jobId", Long.class)).containsExactly(1L, 2L);
        // true: every earlier open rejection of the key is superseded
        RecordRejected again = contact(connectionId, 3, 9, "email", "INVALID_FORMAT", now.plusSeconds(2));
        again.setSupersedes(true);
        events().send(Topics.RECORDS_REJECTED, connectionId, again);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(page("connectionId=" + connectionId
                + "&status=superseded").getList("data.jobId", Long.class)).containsExactly(1L, 2L));
        assertThat(page("connectionId=" + connectionId + "&status=open").getList("data.jobId", Long.class)).containsExactly(3L);
    }

    @Test
    void aRecordMovesFromOpenToSupersededRetryingResolvedOrDismissed() {
        String connectionId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        for (int i = 1; i <= 4; i++) {
            events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, 1, i, "email", "INVALID_FORMAT", now));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 4);
        // the next sync: record 1 rejected again (the older rejection is superseded), 2 offered again and written
        events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, 2, 1, "email", "INVALID_FORMAT", now.plusSeconds(1)));
        events().send(Topics.RECORDS_REJECTED, connectionId, updated(connectionId, "retrying", List.of("{\"id\":2}", "{\"id\":3}")));
        events().send(Topics.RECORDS_REJECTED, connectionId, updated(connectionId, "resolved", List.of("{\"id\":2}")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(page("connectionId=" + connectionId + "&status=resolved")
                .getList("data.record.id", Integer.class)).containsExactly(2));
        assertThat(page("connectionId=" + connectionId + "&status=superseded").getList("data.jobId", Long.class)).containsExactly(1L);
        assertThat(page("connectionId=" + connectionId + "&status=open").getList("data.record.id", Integer.class)).containsExactly(4, 1);
        assertThat(page("connectionId=" + connectionId + "&status=retrying").getList("data.record.id", Integer.class)).containsExactly(3);
        given().get("/rejected-records?status=resolved&connectionId=" + connectionId).then().body("data[0].statusChangedAt", notNullValue());

        // dismiss one, then every open one left: sync-service hears of each
        long three = page("connectionId=" + connectionId + "&status=retrying").getLong("data[0].id");
        given().post("/rejected-records/" + three + "/dismiss").then().statusCode(200).body("status", equalTo("dismissed"));
        given().contentType(ContentType.JSON).body("{\"connectionId\":\"" + connectionId + "\"}").post("/rejected-records/dismiss")
                .then().statusCode(200).body("dismissed", equalTo(2));
        assertThat(page("connectionId=" + connectionId + "&status=dismissed").getList("data")).hasSize(3);
        long resolved = page("connectionId=" + connectionId + "&status=resolved").getLong("data[0].id");
        given().post("/rejected-records/" + resolved + "/dismiss").then().statusCode(409).contentType("application/problem+json");
        List<RejectedRecordsDismissed> dismissed = events().await(Topics.REJECTS_EVENTS, RejectedRecordsDismissed.class,
                d -> d.getConnectionId().equals(connectionId), 2, Duration.ofSeconds(30));
        assertThat(dismissed.stream().flatMap(d -> d.getRecordKeys().stream()))
                .containsExactlyInAnyOrder("{\"id\":3}", "{\"id\":1}", "{\"id\":4}");
        given().contentType(ContentType.JSON).body("{\"stream\":\"contacts\"}").post("/rejected-records/dismiss")
                .then().statusCode(400).body("errors[0].field", equalTo("connectionId"));
    }

    static RejectedRecordsUpdated updated(String connectionId, String status, List<String> keys) {
        return RejectedRecordsUpdated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setConnectionId(connectionId).setJobId(2).setStreamNamespace("public").setStream("contacts")
                .setStatus(status).setRecordKeys(keys).build();
    }

    @Test
    void recordsOlderThanTheRetentionArePurged() {
        String connectionId = UUID.randomUUID().toString();
        events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, 1, 1, "email", "INVALID_FORMAT",
                Instant.now().minus(40, ChronoUnit.DAYS)));
        events().send(Topics.RECORDS_REJECTED, connectionId, contact(connectionId, 1, 2, "email", "INVALID_FORMAT", Instant.now()));
        await().atMost(Duration.ofSeconds(60)).until(() -> page("connectionId=" + connectionId).getList("data").size() == 2);
        assertThat(retention.purge().await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);
        assertThat(page("connectionId=" + connectionId).getList("data.record.id", Integer.class)).containsExactly(2);
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndConsumingGoesOn() {
        String connectionId = UUID.randomUUID().toString();
        events().sendRaw(Topics.RECORDS_REJECTED, connectionId, "not avro at all".getBytes());
        events().send(Topics.RECORDS_REJECTED, connectionId, rejected(connectionId, 21, "age", "TYPE_MISMATCH"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/rejected-records?connectionId=" + connectionId).then().statusCode(200)
                        .body("data.size()", equalTo(1)));
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
        given().get("/rejected-records?status=gone&reasonCode=NOPE&from=yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItems("status", "reasonCode", "from"));
        given().get("/rejected-records?cursor=!!").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().get("/rejected-records?sort=name").then().statusCode(400).body("errors[0].field", equalTo("sort"));
        given().get("/rejected-records/999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }
}
