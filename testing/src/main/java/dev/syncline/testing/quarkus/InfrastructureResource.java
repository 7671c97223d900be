package dev.syncline.testing.quarkus;

import dev.syncline.apikeys.ApiKeys;
import dev.syncline.infra.DatabaseLogin;
import dev.syncline.infra.Directories;
import dev.syncline.infra.Infrastructure;
import dev.syncline.infra.SecretKeys;
import dev.syncline.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the real Kafka, registry and PostgreSQL once per test JVM (on free ports; stopped when the JVM exits)
 * and gives each Quarkus application started with it a fresh database of its own.
 *
 * <pre>{@code @QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))}</pre>
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Infrastructure shared;
    private static String secretsKey;
    private static Path filesRoot;

    private String database = "service";

    /** The infrastructure of this JVM, started on first use. */
    public static synchronized Infrastructure infrastructure() {
        if (shared == null) {
            Path dir = Path.of("target", "infra-" + ProcessHandle.current().pid()).toAbsolutePath();
            long t0 = System.nanoTime();
            shared = "containers".equals(System.getProperty("syncline.infrastructure"))
                    ? containers()
                    : Infrastructure.start(dir, Infrastructure.Ports.free(), new Infrastructure.Options(false, 3));
            System.out.printf("[syncline-testing] Kafka %s, registry %s, PostgreSQL :%d up in %d ms%n",
                    shared.kafka().bootstrapServers(), shared.registry().url(), shared.postgres().port(),
                    (System.nanoTime() - t0) / 1_000_000);
            Infrastructure started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Directories.delete(dir);
            }, "syncline-infrastructure-stop"));
            secretsKey = SecretKeys.generate();
            filesRoot = dir.resolve("files");
            try {
                java.nio.file.Files.createDirectories(filesRoot);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The folder file connectors may use in this JVM's services (syncline.connectors.files.roots), like a stack's data/files. */
    public static synchronized Path filesRoot() {
        infrastructure();
        return filesRoot;
    }

    /**
     * With a Docker engine, {@code ./mvnw -Pcontainers verify} runs the same tests on Testcontainers instead of
     * packages; the class exists only in that profile's build, hence the reflection.
     */
    private static Infrastructure containers() {
        try {
            return (Infrastructure) Class.forName("dev.syncline.testing.containers.ContainerInfrastructure")
                    .getMethod("start").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("-Dsyncline.infrastructure=containers needs the build's -Pcontainers profile", e);
        }
    }

    /** The key services encrypt secrets with in this JVM. */
    public static synchronized String secretsKey() {
        infrastructure();
        return secretsKey;
    }

    /** A new, empty database on the shared PostgreSQL server, for the superuser ({@code postgres().connect(name)}). */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        infrastructure().postgres().createDatabase(name);
        return name;
    }

    /** A new, empty database owned by a role of the same name, as a service's own database is in the stack. */
    public static DatabaseLogin newServiceDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        return infrastructure().postgres().ownDatabase(name, name);
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = infrastructure();
        DatabaseLogin db = newServiceDatabase(database);
        Map<String, String> config = new HashMap<>(serviceConfig(infra, db.user(), db, secretsKey()));
        // every request a test makes with RestAssured carries the admin key, as a user's script would
        RestAssuredKey.install(TestKeys.ADMIN);
        return config;
    }

    /**
     * What a service needs to run on this infrastructure (the launcher passes the same as environment variables): its
     * database, as its own role, and what its connectors may never reach.
     */
    public static Map<String, String> serviceConfig(Infrastructure infra, String database, DatabaseLogin login, String key) {
        Map<String, String> config = new HashMap<>(Map.of(
                "syncline.auth.admin-key-hash", ApiKeys.hash(TestKeys.ADMIN),
                "syncline.auth.service-key-hash", ApiKeys.hash(TestKeys.SERVICE),
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                "mp.messaging.connector.smallrye-kafka.apicurio.registry.url", infra.registry().url(),
                "quarkus.datasource.reactive.url", infra.postgres().reactiveUrl(database),
                "quarkus.datasource.jdbc.url", infra.postgres().jdbcUrl(database),
                "quarkus.datasource.username", login.user(),
                "quarkus.datasource.password", login.password(),
                "syncline.secrets.key", key));
        // what connectors may never reach: this infrastructure, and the service's own database
        config.put("syncline.connectors.platform.postgres", infra.postgres().host() + ":" + infra.postgres().port());
        config.put("syncline.connectors.platform.databases", database);
        config.put("syncline.connectors.platform.targets", String.join(",", infra.platformTargets()));
        config.put("syncline.connectors.files.roots", filesRoot().toString());
        return config;
    }

    @Override
    public void stop() {
        // shared by every application of this JVM: stopped by the shutdown hook
    }
}
