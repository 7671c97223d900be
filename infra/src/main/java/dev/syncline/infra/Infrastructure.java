package dev.syncline.infra;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The real infrastructure Syncline runs on: PostgreSQL, Kafka (KRaft) and Apicurio Registry, started from
 * packages on the given (free) ports, with every topic created. Used by the launcher and by the tests.
 */
public final class Infrastructure implements AutoCloseable {

    /** Ports to bind; pick them with {@link FreePorts}. */
    public record Ports(int postgres, int kafka, int kafkaController, int registry, int registryManagement) {
        public static Ports free() {
            return new Ports(FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
        }
    }

    /**
     * {@code persistent}: keep PostgreSQL's data and store the registry's schemas in PostgreSQL, so a restart
     * keeps everything (the launcher); otherwise start clean with an in-memory registry (the tests).
     */
    public record Options(boolean persistent, int topicPartitions) { }

    public static final String REGISTRY_DATABASE = "registry";
    /** The registry's own database role: owner of {@value #REGISTRY_DATABASE}, nothing else. */
    public static final String REGISTRY_ROLE = "registry";

    private volatile PostgresServer postgres;
    private volatile KafkaBroker kafka;
    private volatile ApicurioRegistry registry;
    /** How each was started, to start it again on the same ports and data (fault tests); null when started elsewhere. */
    private Path dir;
    private Ports ports;
    private Options options;

    private Infrastructure(PostgresServer postgres, KafkaBroker kafka, ApicurioRegistry registry) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Stops the broker (its clients retry), for a fault test; {@link #startKafka} brings it back on its port. */
    public void stopKafka() {
        kafka.close();
    }

    public void startKafka() {
        kafka = KafkaBroker.start(dir.resolve("kafka"), kafka.port(), ports.kafkaController());
    }

    /** Stops the registry (serdes retry what they cannot fetch); {@link #startRegistry} brings it back. */
    public void stopRegistry() {
        registry.close();
    }

    public void startRegistry() {
        registry = options.persistent()
                ? ApicurioRegistry.start(dir.resolve("registry"), ports.registry(), ports.registryManagement(),
                        registryStorage(postgres))
                : ApicurioRegistry.start(dir.resolve("registry"), ports.registry(), ports.registryManagement(),
                        new ApicurioRegistry.Storage.InMemory());
    }

    /** The registry's schemas in its own database, as its own role (made, or handed its database, on every start). */
    private static ApicurioRegistry.Storage registryStorage(PostgresServer pg) {
        DatabaseLogin login = pg.ownDatabase(REGISTRY_DATABASE, REGISTRY_ROLE);
        return new ApicurioRegistry.Storage.Postgres(pg.jdbcUrl(REGISTRY_DATABASE), login.user(), login.password());
    }

    /** Stops PostgreSQL (a persistent one keeps its data); {@link #startPostgres} brings it back on its port. */
    public void stopPostgres() {
        postgres.close();
    }

    public void startPostgres() {
        postgres = PostgresServer.start(postgresDir(dir), postgres.port(), options.persistent());
    }

    /** Where PostgreSQL's data, binaries and login passwords ({@link PostgresServer#logins}) are kept under {@code dir}. */
    public static Path postgresDir(Path dir) {
        return dir.resolve("postgres");
    }

    public static Infrastructure start(Path dir, Ports ports, Options options) {
        // its own threads: the common pool has a single thread on a 2-core machine, which would start them in turn
        // platform threads, not virtual ones: a virtual thread waiting inside a class initializer (zonky's LinuxUtils,
        // the JDK's logger lookup on a process start) pins its carrier, and with two carriers on a 2-core machine the
        // three starters deadlocked
        try (ExecutorService starters = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("infrastructure-start-", 0).factory())) {
            return start(dir, ports, options, starters);
        }
    }

    private static Infrastructure start(Path dir, Ports ports, Options options, ExecutorService starters) {
        var pgFuture = CompletableFuture.supplyAsync(
                () -> PostgresServer.start(postgresDir(dir), ports.postgres(), options.persistent()), starters);
        var kafkaFuture = CompletableFuture.supplyAsync(
                () -> startKafka(dir.resolve("kafka"), ports), starters);
        CompletableFuture<ApicurioRegistry> registryFuture = options.persistent()
                ? pgFuture.thenApplyAsync(pg -> ApicurioRegistry.start(dir.resolve("registry"), ports.registry(),
                        ports.registryManagement(), registryStorage(pg)), starters)
                : CompletableFuture.supplyAsync(() -> ApicurioRegistry.start(dir.resolve("registry"), ports.registry(),
                        ports.registryManagement(), new ApicurioRegistry.Storage.InMemory()), starters);
        try {
            CompletableFuture.allOf(pgFuture, kafkaFuture, registryFuture).join();
        } catch (CompletionException e) {
            // stop whatever did start, then report the first failure
            closeQuietly(registryFuture);
            closeQuietly(kafkaFuture);
            closeQuietly(pgFuture);
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        Infrastructure infra = new Infrastructure(pgFuture.join(), kafkaFuture.join(), registryFuture.join());
        infra.dir = dir;
        infra.ports = new Ports(ports.postgres(), infra.kafka.port(), ports.kafkaController(), ports.registry(),
                ports.registryManagement());
        infra.options = options;
        try {
            infra.kafka.createTopics(options.topicPartitions());
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
        return infra;
    }

    /**
     * The broker, on other ports when one of its two was taken between being picked and bound (another process bound
     * it explicitly: seen once in a CI run, "Address already in use"). Its clients take the address it returns.
     */
    private static KafkaBroker startKafka(Path dir, Ports ports) {
        int port = ports.kafka();
        int controllerPort = ports.kafkaController();
        for (int attempt = 1; ; attempt++) {
            try {
                return KafkaBroker.start(dir, port, controllerPort);
            } catch (IllegalStateException e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                System.err.printf("kafka: port %d or %d was taken before it could bind it: on other ports%n", port, controllerPort);
                port = FreePorts.pick();
                controllerPort = FreePorts.pick();
            }
        }
    }

    /** Infrastructure started some other way (e.g. containers): the topics are created here. */
    public static Infrastructure of(PostgresServer postgres, KafkaBroker kafka, ApicurioRegistry registry,
                                    int topicPartitions) {
        Infrastructure infra = new Infrastructure(postgres, kafka, registry);
        infra.kafka.createTopics(topicPartitions);
        return infra;
    }

    private static void closeQuietly(CompletableFuture<? extends AutoCloseable> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            try {
                f.join().close();
            } catch (Exception ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /**
     * This infrastructure's addresses other than PostgreSQL's, {@code host:port}: Kafka's broker and controller, the
     * registry and its management port. A connector must never reach them (PostgreSQL's is passed on its own: a database
     * of a user's there is a destination like any other).
     */
    public java.util.List<String> platformTargets() {
        String kafkaHost = kafka.bootstrapServers().substring(0, kafka.bootstrapServers().lastIndexOf(':'));
        String registryHost = java.net.URI.create(registry.url()).getHost();
        java.util.List<String> targets = new java.util.ArrayList<>(java.util.List.of(kafka.bootstrapServers(),
                registryHost + ":" + registry.port()));
        if (ports != null) { // started here: the ports a container maps are not this machine's
            targets.add(kafkaHost + ":" + ports.kafkaController());
            targets.add(registryHost + ":" + ports.registryManagement());
        }
        return java.util.List.copyOf(targets);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {registry, kafka, postgres}) {
            long t0 = System.nanoTime();
            try {
                c.close();
                if (Boolean.getBoolean("syncline.timing")) {
                    System.out.printf("  %s stopped in %d ms%n", c.getClass().getSimpleName(), (System.nanoTime() - t0) / 1_000_000);
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
