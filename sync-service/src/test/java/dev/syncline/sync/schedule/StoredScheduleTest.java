package dev.syncline.sync.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.syncline.events.ConfiguredCatalog;
import dev.syncline.events.ConfiguredStream;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.Schedule;
import dev.syncline.events.SyncFailed;
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

/**
 * A connection stored with a schedule today's rules refuse (saved before them: basic units that overflow, a cron that
 * never fires again; a cron firing every second too, outside tests, whose profile lets schedules run in seconds) fails
 * once, visibly, and asks for the connection to be paused, instead of logging every second.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "sync"))
class StoredScheduleTest {

    static EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    static String connection(Schedule schedule) {
        String id = UUID.randomUUID().toString();
        ConfiguredStream users = ConfiguredStream.newBuilder().setName("users").setSyncMode("full_refresh")
                .setDestinationSyncMode("overwrite").setFields(List.of(FieldDescriptor.newBuilder().setPath(List.of("id"))
                        .setType("integer").build())).build();
        ConnectionConfiguration cfg = ConnectionConfiguration.newBuilder().setName("Stored").setSourceId(UUID.randomUUID().toString())
                .setDestinationId(UUID.randomUUID().toString()).setStatus("active").setSchedule(schedule)
                .setNamespaceDefinition("destination").setPrefix("")
                .setConfiguredCatalog(ConfiguredCatalog.newBuilder().setStreams(List.of(users)).build()).setVersion(2).build();
        events().send(Topics.CONNECTIONS, id, ConnectionCreated.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setConnectionId(id).setConfiguration(cfg).build());
        return id;
    }

    @Test
    void aStoredScheduleThatCannotRunFailsOnceAndAsksForAPause() {
        String never = connection(Schedule.newBuilder().setType("cron").setCronExpression("0 0 0 1 1 ? 2001").build());
        String overflowing = connection(Schedule.newBuilder().setType("basic").setBasicUnits(Long.MAX_VALUE)
                .setBasicTimeUnit("days").build());

        SyncFailed failed = events().awaitOne(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(never));
        assertThat(failed.getPauseConnection()).isTrue();
        assertThat(failed.getRetryable()).isFalse();
        assertThat(failed.getFailureType()).isEqualTo("config_error");
        assertThat(failed.getMessage()).isEqualTo("the connection's schedule cannot run: schedule.cronExpression: "
                + "'0 0 0 1 1 ? 2001' never fires again; change the schedule, then enable the connection");
        SyncFailed overflow = events().awaitOne(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(overflowing));
        assertThat(overflow.getMessage()).contains("schedule.basicUnits: at most 365 days");

        // a later tick (it made a valid schedule's first job) looked at both again and made nothing more
        String valid = connection(Schedule.newBuilder().setType("basic").setBasicUnits(1L).setBasicTimeUnit("hours").build());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/jobs?connectionId=" + valid).then()
                .statusCode(200).body("", hasSize(1)).body("[0].requestedBy", equalTo("schedule")));
        for (String id : List.of(never, overflowing)) {
            given().get("/jobs?connectionId=" + id).then().statusCode(200).body("", hasSize(1))
                    .body("[0].status", equalTo("failed"))
                    .body("[0].failure.type", equalTo("config_error"))
                    .body("[0].failure.retryable", equalTo(false));
        }
        assertThat(events().readAll(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(overflowing))).hasSize(1);
    }
}
