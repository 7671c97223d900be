package dev.syncline.testing.containers;

import dev.syncline.infra.ApicurioRegistry;
import dev.syncline.infra.Infrastructure;
import dev.syncline.infra.KafkaBroker;
import dev.syncline.infra.PostgresServer;
import dev.syncline.infra.SecretKeys;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same infrastructure as {@link Infrastructure#start}, from container images, for machines with a Docker
 * engine (opt-in: {@code ./mvnw -Pcontainers verify}). Never the default: Syncline's own machines have none.
 */
public final class ContainerInfrastructure {
    private ContainerInfrastructure() { }

    public static Infrastructure start() {
        String password = SecretKeys.password();
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16").withUsername(PostgresServer.USER)
                .withPassword(password).withDatabaseName("postgres");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
        GenericContainer<?> registry = new GenericContainer<>("apicurio/apicurio-registry:3.3.3")
                .withExposedPorts(8080)
                .withEnv("QUARKUS_HTTP_IDLE_TIMEOUT", "90S") // as ApicurioRegistry.start: no 30-minute wait
                .waitingFor(Wait.forHttp("/apis/registry/v3/system/info").forStatusCode(200));
        postgres.start();
        kafka.start();
        registry.start();
        String[] bootstrap = kafka.getBootstrapServers().replaceFirst("^[A-Z]+://", "").split(":");
        return Infrastructure.of(
                PostgresServer.external(postgres.getHost(), postgres.getMappedPort(5432), password, postgres::stop),
                KafkaBroker.external(bootstrap[0], Integer.parseInt(bootstrap[1]), kafka::stop),
                ApicurioRegistry.external(registry.getHost(), registry.getMappedPort(8080), registry::stop),
                3);
    }
}
