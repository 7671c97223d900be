package dev.syncline.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.SourceConfigured;
import dev.syncline.events.SyncFailed;
import dev.syncline.events.Topics;
import dev.syncline.infra.PostgresServer;
import dev.syncline.kit.secrets.SecretBox;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A destination saved before connectors were guarded (or arriving by any other way than connection-service's check)
 * that points at sync-service's own database: the sync refuses it when it connects, as a configuration error that no
 * retry can mend, and writes nothing there.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "sync"))
class ConnectorReachSyncTest {
    /** Its events, connection and sync request builders. */
    final SyncJobTest jobs = new SyncJobTest();

    @Test
    void aDestinationOnTheServicesOwnDatabaseFailsTheJobWithoutARetry() throws Exception {
        String own = ConfigProvider.getConfig().getValue("syncline.connectors.platform.databases", String.class);
        String sourceId = SyncJobTest.id();
        String destinationId = SyncJobTest.id();
        String connectionId = SyncJobTest.id();
        SecretBox box = new SecretBox(InfrastructureResource.secretsKey());
        EventClient events = jobs.events();
        events.send(Topics.ACTORS, sourceId, SourceConfigured.newBuilder().setEventId(SyncJobTest.id()).setOccurredAt(Instant.now())
                .setActorId(sourceId).setName("Sample").setConnectorType("sample-data").setConfig("{\"seed\":3,\"rows\":5}")
                .setVersion(1).build());
        events.send(Topics.ACTORS, destinationId, DestinationConfigured.newBuilder().setEventId(SyncJobTest.id()).setOccurredAt(Instant.now())
                .setActorId(destinationId).setName("Its own database").setConnectorType("postgres")
                .setConfig("{\"host\":\"localhost\",\"port\":" + jobs.pg().port() + ",\"database\":\"" + own + "\",\"username\":\""
                        + PostgresServer.USER + "\",\"password\":\"" + box.encrypt(InfrastructureResource.infrastructure().postgres().password()) + "\",\"schema\":\"public\"}")
                .setVersion(1).build());
        events.send(Topics.CONNECTIONS, connectionId, jobs.connection(connectionId, sourceId, destinationId));
        events.send(Topics.SYNC_COMMANDS, connectionId, SyncJobTest.syncRequested(connectionId));

        SyncFailed failed = events.awaitOne(Topics.SYNC_EVENTS, SyncFailed.class, e -> e.getConnectionId().equals(connectionId));
        assertThat(failed.getMessage()).contains("belongs to Syncline itself");
        assertThat(failed.getFailureOrigin()).isEqualTo("destination");
        given().get("/jobs/" + failed.getJobId()).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("attemptCount", equalTo(1))
                .body("failure.type", equalTo("config_error"))
                .body("failure.retryable", equalTo(false))
                .body("failure.message", containsString("syncline.connectors.allowed-targets"));
        try (Connection c = jobs.pg().connect(own);
             ResultSet rs = c.createStatement().executeQuery("select count(*) from pg_tables where tablename like 'sample_%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("tables the sync created in the service's own database").isZero();
        }
    }
}
