package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.syncline.events.SchemaDiscovered;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A registry request nobody answers: the serdes' client has no timeout of its own, so a test that plays another
 * service once waited 30 minutes for the registry's idle timeout and failed. The real registry is behind a proxy that
 * swallows the first connection; the send tries again on a new one and the event arrives.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class UnansweredRegistryTest {

    @Test
    void aSendWhoseFirstRegistryRequestIsNeverAnsweredTriesAgainAndArrives() throws Exception {
        var infra = InfrastructureResource.infrastructure();
        try (SwallowFirstConnection proxy = new SwallowFirstConnection(infra.registry().port())) {
            EventClient client = new EventClient(infra.kafka().bootstrapServers(),
                    "http://127.0.0.1:" + proxy.port() + "/apis/registry/v3", Duration.ofSeconds(3));
            String source = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{}}")
                    .post("/sources").then().statusCode(201).extract().path("sourceId");

            client.send(Topics.SCHEMAS, source, SchemaDiscovered.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.now()).setActorId(source).setCatalogVersion(1).setCatalogHash("v1")
                    .setCatalog(dev.syncline.events.Catalog.newBuilder()
                            .setStreams(List.of(DestinationTablesTest.stream("orders"))).build()).build());

            assertThat(proxy.connections()).as("the swallowed connection, then a new one").isGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/sources/" + source + "/catalog")
                    .then().statusCode(200).body("status", equalTo("discovered")));
        }
    }

    /** Forwards to the registry, except the first connection: read and never answered. */
    static final class SwallowFirstConnection implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        SwallowFirstConnection(int registryPort) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        open.add(client);
                        if (accepted.incrementAndGet() == 1) {
                            Thread.ofVirtual().start(() -> pump(client, OutputStream.nullOutputStream()));
                            continue;
                        }
                        Socket registry = new Socket(InetAddress.getLoopbackAddress(), registryPort);
                        open.add(registry);
                        Thread.ofVirtual().start(() -> pump(client, out(registry)));
                        Thread.ofVirtual().start(() -> pump(registry, out(client)));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return accepted.get();
        }

        private static OutputStream out(Socket s) {
            try {
                return s.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void pump(Socket from, OutputStream to) {
            try (InputStream in = from.getInputStream()) {
                in.transferTo(to);
            } catch (IOException e) {
                // the other side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
