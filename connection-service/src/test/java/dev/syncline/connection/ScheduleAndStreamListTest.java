package dev.syncline.connection;

import static dev.syncline.connection.Fixtures.connection;
import static dev.syncline.connection.Fixtures.destination;
import static dev.syncline.connection.Fixtures.discoveredSource;
import static dev.syncline.connection.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Requests that would run too often, overflow or repeat themselves: a schedule runs at most once a minute and at least
 * once a year, in whole units; a stream is listed once; each unknown stream of a clear is named by its own index.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ScheduleAndStreamListTest {

    static ValidatableResponse patch(String connection, String body) {
        return given().contentType(ContentType.JSON).body(body).patch("/connections/" + connection).then();
    }

    @Test
    void aScheduleRunsAtMostOnceAMinuteAndAtLeastOnceAYear() {
        String id = connection(discoveredSource(), destination(), ",\"prefix\":\"sched_\"");
        patch(id, "{\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"*/1 * * * * ?\"}}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("schedule.cronExpression"))
                .body("errors[0].message", containsString("more than once a minute"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":9223372036854775807,\"basicTimeUnit\":\"days\"}}")
                .statusCode(400).body("errors[0].field", equalTo("schedule.basicUnits"))
                .body("errors[0].message", containsString("at most 365 days"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":1.5,\"basicTimeUnit\":\"hours\"}}")
                .statusCode(400).body("errors[0].field", equalTo("schedule.basicUnits"))
                .body("errors[0].message", containsString("not a valid integer"));
        // nothing of the refused schedules stuck; the user's fix is taken
        given().get("/connections/" + id).then().body("schedule.scheduleType", equalTo("manual"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"0 */5 * * * ?\"}}").statusCode(200)
                .body("schedule.cronExpression", equalTo("0 */5 * * * ?"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":8760,\"basicTimeUnit\":\"hours\"}}").statusCode(200);
        // on create too
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + discoveredSource() + "\",\"destinationId\":\""
                        + destination() + "\",\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"* * * * * ?\"}}")
                .post("/connections").then().statusCode(400).body("errors[0].field", equalTo("schedule.cronExpression"));
    }

    /** What a schedule means before it is saved: its next three runs, or the same field errors as saving it. */
    @Test
    void aSchedulesNextThreeRunsAreShownBeforeItIsSavedAndABadOneIsRefusedAsOnSave() {
        given().contentType(ContentType.JSON).body("{\"scheduleType\":\"cron\",\"cronExpression\":\"0 30 6 ? * MON-FRI\","
                        + "\"cronTimeZone\":\"Asia/Tokyo\"}")
                .post("/schedules/next-runs").then().statusCode(200)
                .body("timeZone", equalTo("Asia/Tokyo"))
                .body("nextRuns", hasSize(3))
                // 06:30 in Tokyo is 21:30 UTC the day before, never on a Friday or Saturday in UTC
                .body("nextRuns", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.endsWith("T21:30:00Z")));
        java.util.List<String> basic = given().contentType(ContentType.JSON)
                .body("{\"scheduleType\":\"basic\",\"basicUnits\":6,\"basicTimeUnit\":\"hours\"}")
                .post("/schedules/next-runs").then().statusCode(200).extract().jsonPath().getList("nextRuns", String.class);
        assertThat(java.time.Duration.between(java.time.Instant.parse(basic.get(0)), java.time.Instant.parse(basic.get(2))))
                .isEqualTo(java.time.Duration.ofHours(12));
        given().contentType(ContentType.JSON).body("{\"scheduleType\":\"manual\"}").post("/schedules/next-runs").then()
                .statusCode(200).body("nextRuns", hasSize(0));
        given().contentType(ContentType.JSON).body("{\"scheduleType\":\"cron\",\"cronExpression\":\"every morning\"}")
                .post("/schedules/next-runs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("schedule.cronExpression"))
                .body("errors[0].message", containsString("not a valid Quartz cron expression"));
        given().contentType(ContentType.JSON).body("{\"scheduleType\":\"cron\",\"cronExpression\":\"0 0 6 * * ?\","
                        + "\"cronTimeZone\":\"Mars/Olympus\"}")
                .post("/schedules/next-runs").then().statusCode(400).body("errors[0].field", equalTo("schedule.cronTimeZone"));
    }

    /** A basic schedule with a daily start time and zone: previewed, saved, carried to sync-service, refused when wrong. */
    @Test
    void aBasicScheduleTakesADailyStartTimeInATimeZone() {
        String every6From2 = "{\"scheduleType\":\"basic\",\"basicUnits\":6,\"basicTimeUnit\":\"hours\","
                + "\"basicStartTime\":\"02:00\",\"basicTimeZone\":\"Europe/Berlin\"}";
        java.util.List<String> runs = given().contentType(ContentType.JSON).body(every6From2)
                .post("/schedules/next-runs").then().statusCode(200).body("timeZone", equalTo("Europe/Berlin"))
                .extract().jsonPath().getList("nextRuns", String.class);
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(java.time.Instant.parse(r).atZone(berlin).toLocalTime())
                .isIn(java.time.LocalTime.of(2, 0), java.time.LocalTime.of(3, 0), java.time.LocalTime.of(8, 0),
                        java.time.LocalTime.of(14, 0), java.time.LocalTime.of(20, 0)));
        assertThat(java.time.Instant.parse(runs.get(0))).isAfter(java.time.Instant.now());

        String id = connection(discoveredSource(), destination(), ",\"prefix\":\"startat_\"");
        patch(id, "{\"schedule\":" + every6From2 + "}").statusCode(200)
                .body("schedule.basicStartTime", equalTo("02:00")).body("schedule.basicTimeZone", equalTo("Europe/Berlin"));
        dev.syncline.events.ConnectionUpdated updated = events().awaitOne(dev.syncline.events.Topics.CONNECTIONS,
                dev.syncline.events.ConnectionUpdated.class, e -> e.getConnectionId().equals(id)
                        && e.getConfiguration().getSchedule().getBasicStartTime() != null);
        assertThat(updated.getConfiguration().getSchedule().getBasicTimeZone()).isEqualTo("Europe/Berlin");
        // the second visit: a start time that is not a time, a zone that does not exist, a zone without a start time
        patch(id, "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":6,\"basicTimeUnit\":\"hours\","
                + "\"basicStartTime\":\"2pm\",\"basicTimeZone\":\"Europe/Nowhere\"}}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("schedule.basicStartTime", "schedule.basicTimeZone"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":30,\"basicTimeUnit\":\"hours\","
                + "\"basicStartTime\":\"02:00\"}}").statusCode(400)
                .body("errors[0].field", equalTo("schedule.basicUnits"))
                .body("errors[0].message", containsString("whole days"));
        patch(id, "{\"schedule\":{\"scheduleType\":\"cron\",\"cronExpression\":\"0 0 6 * * ?\","
                + "\"basicStartTime\":\"02:00\"}}").statusCode(400)
                .body("errors[0].field", equalTo("schedule.basicStartTime"));
        given().get("/connections/" + id).then().body("schedule.basicStartTime", equalTo("02:00"));
    }

    /** A destination's definition says which destination sync modes it writes; a source's says none. */
    @Test
    void aDestinationsDefinitionSaysTheSyncModesItWrites() {
        given().get("/connector-definitions?kind=elt").then().statusCode(200)
                .body("find { it.id == 'postgres' }.supportedDestinationSyncModes",
                        equalTo(java.util.List.of("append", "append_dedup", "overwrite", "overwrite_dedup")));
        given().get("/connector-definitions?kind=source").then().statusCode(200)
                .body("find { it.id == 'postgres' }.supportedDestinationSyncModes", hasSize(0));
    }

    @Test
    void aStreamListedTwiceIsRefusedNamingBothIndexes() {
        String id = connection(discoveredSource(), destination(), ",\"prefix\":\"twice_\"");
        String copies = String.join(",", Collections.nCopies(10_000, "{\"name\":\"orders\"}"));
        patch(id, "{\"streams\":[" + copies + "]}").statusCode(400)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("streams[1]"))
                .body("errors[0].message", equalTo("stream orders is listed 10000 times, at streams[0] and streams[1] and "
                        + "more; list each stream once"));
        patch(id, "{\"streams\":[{\"name\":\"events\"},{\"name\":\"orders\"},{\"name\":\"events\",\"selected\":false}]}")
                .statusCode(400).body("errors[0].field", equalTo("streams[2]"))
                .body("errors[0].message", equalTo("stream events is listed twice, at streams[0] and streams[2]; "
                        + "list each stream once"));
    }

    @Test
    void clearNamesEachUnknownStreamByItsOwnIndex() {
        String id = connection(discoveredSource(), destination(), ",\"prefix\":\"clear_\"");
        given().contentType(ContentType.JSON).body("{\"streams\":[{\"name\":\"nope\"},{\"name\":\"orders\"},{\"name\":\"gone\"}]}")
                .post("/connections/" + id + "/clear").then().statusCode(400)
                .body("errors.field", equalTo(java.util.List.of("streams[0]", "streams[2]")))
                .body("errors[1].message", equalTo("the connection does not sync a stream gone"));
    }
}
