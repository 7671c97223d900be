package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syncline.events.DestinationConfigured;
import dev.syncline.events.Topics;
import dev.syncline.testing.EventClient;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The outbox relay (service-kit) on a real database and broker: an event it cannot send is parked, not dropped, and does not block the ones after it. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class OutboxRelayTest {

    @Inject
    Pool db;

    @Test
    void anEventThatCannotBeSentIsParkedWithItsErrorAndTheNextOnesStillLeave() {
        // written behind the service's back (as another instance or a crash before the relay ran would leave it): the
        // relay finds it at its idle look; its type is no event class, so it can never be serialized
        Long id = db.preparedQuery("insert into outbox_event (topic, message_key, event_type, event_id, payload) values "
                        + "($1, 'k', 'dev.syncline.events.NoSuchEvent', 'poison-1', $2) returning id")
                .execute(Tuple.of(Topics.ACTORS, io.vertx.core.buffer.Buffer.buffer(new byte[] {1, 2, 3})))
                .await().indefinitely().iterator().next().getLong(0);

        String destination = given().contentType(ContentType.JSON)
                .body("{\"name\":\"After the poison\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"h\","
                        + "\"port\":5432,\"database\":\"d\",\"username\":\"u\",\"password\":\"p\",\"schema\":\"public\"}}")
                .post("/destinations").then().statusCode(201).extract().path("destinationId");
        EventClient.of(InfrastructureResource.infrastructure()).awaitOne(Topics.ACTORS, DestinationConfigured.class,
                d -> d.getActorId().equals(destination));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Row parked = db.preparedQuery("select event_id, event_type, payload, error from outbox_parked where id = $1")
                    .execute(Tuple.of(id)).await().indefinitely().iterator().next();
            assertThat(parked.getString(0)).isEqualTo("poison-1");
            assertThat(parked.getBuffer(2).getBytes()).containsExactly(1, 2, 3);
            assertThat(parked.getString(3)).contains("NoSuchEvent");
            assertThat(db.preparedQuery("select count(*) from outbox_event where id = $1").execute(Tuple.of(id))
                    .await().indefinitely().iterator().next().getLong(0)).isZero();
        });
    }
}
