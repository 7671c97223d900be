package dev.syncline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.events.CheckCompleted;
import dev.syncline.events.CheckRequested;
import dev.syncline.events.SchemaDiscoveryFailed;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.Topics;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Sources saved before connectors were guarded (or that reached schema-service another way) that point at its own
 * database or at a system file: their check fails and their discovery fails as a configuration error, listing nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "schema"))
class ConnectorReachDiscoveryTest {

    EventClient events() {
        return EventClient.of(InfrastructureResource.infrastructure());
    }

    /** Discovery of {@code type} with {@code config} fails; the failure's message. */
    String discoveryFails(String type, String config) {
        String id = UUID.randomUUID().toString();
        events().send(Topics.ACTORS, id, DiscoveryTest.source(id, type, config));
        SchemaDiscoveryRequested request = DiscoveryTest.request(id);
        events().send(Topics.SCHEMA_REQUESTS, id, request);
        SchemaDiscoveryFailed f = events().awaitOne(Topics.SCHEMAS, SchemaDiscoveryFailed.class,
                e -> request.getRequestId().equals(e.getRequestId()));
        assertThat(f.getFailureType()).isEqualTo("config_error");
        events().send(Topics.SCHEMA_REQUESTS, id, CheckRequested.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now()).setActorId(id).setRequestId("check-" + id).build());
        CheckCompleted check = events().awaitOne(Topics.SCHEMAS, CheckCompleted.class, c -> c.getActorId().equals(id));
        assertThat(check.getSucceeded()).isFalse();
        assertThat(check.getMessage()).isEqualTo(f.getMessage());
        return f.getMessage();
    }

    @Test
    void aPostgresSourceOnTheServicesOwnDatabaseListsNothing() {
        String own = ConfigProvider.getConfig().getValue("syncline.connectors.platform.databases", String.class);
        int port = InfrastructureResource.infrastructure().postgres().port();
        assertThat(discoveryFails("postgres", "{\"host\":\"0.0.0.0\",\"port\":" + port + ",\"database\":\"" + own
                + "\",\"username\":\"" + PostgresServer.USER + "\"}")).contains("database " + own, "belongs to Syncline itself");
    }

    @Test
    void aFilesSourceOnASystemFileReadsNothing() {
        assertThat(discoveryFails("files", "{\"path\":\"/etc/passwd\"}"))
                .contains("outside the folders connectors may read and write", InfrastructureResource.filesRoot().toString());
    }
}
