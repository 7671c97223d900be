package dev.syncline.stack;

import dev.syncline.apikeys.ApiKeys;
import dev.syncline.infra.ChildProcess;
import dev.syncline.infra.DatabaseLogin;
import dev.syncline.infra.Infrastructure;
import dev.syncline.infra.Java;
import dev.syncline.infra.OwnerOnlyFiles;
import dev.syncline.infra.PostgresServer;
import dev.syncline.infra.SecretKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Syncline on one machine: PostgreSQL, Kafka and Apicurio Registry from packages, then the four services as
 * their own JVMs, all on loopback, all data under one folder so a restart keeps it.
 */
public final class Stack implements AutoCloseable {
    /** The demo destination database the README's walkthrough writes into. */
    public static final String WAREHOUSE = "warehouse";
    /** The walkthrough's own database user: owner of {@value #WAREHOUSE}, nothing else ({@code ./syncline env} exports it). */
    public static final String WAREHOUSE_USER = "warehouse";
    /** The infrastructure's components by the names {@code ./syncline restart} takes (and the table prints). */
    static final List<String> INFRASTRUCTURE = List.of("postgres", "kafka", "registry");

    private final Path dir;
    private final Infrastructure infrastructure;
    /** Each service's current process: replaced by a restart, under that service's lock. */
    private final Map<Service, ChildProcess> services;
    private final Map<Service, Object> locks = new EnumMap<>(Service.class);
    private final StackPorts ports;
    private volatile boolean closing;
    /** Restarts a service that ended on its own; null until {@link #supervise}. */
    private volatile Supervisor supervisor;

    private Path home;
    private String key;
    private ApiKeyFiles.Keys apiKeys;
    /** Further instances of a service (scale-out), each with its own port. */
    private final Map<String, ChildProcess> extras = new java.util.concurrent.ConcurrentHashMap<>();

    private Stack(Path dir, Infrastructure infrastructure, Map<Service, ChildProcess> services, StackPorts ports) {
        this.dir = dir;
        this.infrastructure = infrastructure;
        this.services = java.util.Collections.synchronizedMap(services);
        this.ports = ports;
        for (Service s : Service.values()) {
            locks.put(s, new Object());
        }
    }

    /**
     * Starts everything and returns once every service reports ready.
     *
     * @param home the repository root (where each service's {@code target/quarkus-app} is)
     * @param dir  where data, logs and ports are kept
     */
    public static Stack start(Path home, Path dir, int topicPartitions) {
        try {
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Service s : Service.values()) {
            Path jar = runJar(home, s);
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build first (./mvnw -DskipTests package)");
            }
        }
        StackPorts ports = StackPorts.choose(dir.resolve("ports.properties"));
        String key = secretsKey(dir.resolve("secrets.key"));
        ApiKeyFiles.Keys apiKeys = ApiKeyFiles.load(dir);
        Infrastructure infra = Infrastructure.start(dir, ports.infrastructure(),
                new Infrastructure.Options(true, topicPartitions));
        Map<Service, ChildProcess> started = new EnumMap<>(Service.class);
        try {
            // each service's database owned by its own role (a folder of an earlier version: its objects handed over)
            for (Service s : Service.values()) {
                if (s.database != null) {
                    infra.postgres().ownDatabase(s.database, s.role());
                }
            }
            infra.postgres().ownDatabase(WAREHOUSE, WAREHOUSE_USER);
            for (Service s : Service.values()) {
                started.put(s, ChildProcess.start(s.module, command(home, s), home,
                        dir.resolve("logs").resolve(s.module + ".log"), environment(infra, s, ports.services().get(s), key, ports, apiKeys, dir)));
            }
            Stack stack = new Stack(dir, infra, started, ports);
            stack.home = home;
            stack.key = key;
            stack.apiKeys = apiKeys;
            try (ExecutorService waiters = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("stack-wait-", 0).factory())) {
                List<CompletableFuture<Void>> ready = new ArrayList<>();
                for (Service s : Service.values()) {
                    ready.add(CompletableFuture.runAsync(() -> dev.syncline.infra.Waiting.until(started.get(s),
                            "ready on " + stack.url(s), Duration.ofSeconds(180), () -> stack.healthy(s)), waiters));
                }
                CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
            }
            return stack;
        } catch (RuntimeException e) {
            started.values().forEach(ChildProcess::close);
            infra.close();
            throw e.getCause() instanceof RuntimeException re && e instanceof java.util.concurrent.CompletionException ? re : e;
        }
    }

    static Path runJar(Path home, Service s) {
        return home.resolve(s.module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static List<String> command(Path home, Service s) {
        // sync-service moves the data: a heap sized up front and the parallel collector; the others idle mostly
        String gc = s == Service.SYNC ? "-XX:+UseParallelGC" : "-XX:+UseSerialGC";
        String initial = s == Service.SYNC ? "-Xms" + s.heap : "-Xms64m";
        List<String> cmd = new java.util.ArrayList<>(List.of(Java.binary(), initial, "-Xmx" + s.heap, gc,
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        // extra JVM options for one service, e.g. SYNCLINE_JVM_OPTS_SYNC_SERVICE="-XX:StartFlightRecording=..." to profile
        String extra = System.getenv("SYNCLINE_JVM_OPTS_" + s.module.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", runJar(home, s).toString()));
        return List.copyOf(cmd);
    }

    /** The same variables docker-compose.yml sets: the services read nothing else. */
    static Map<String, String> environment(Infrastructure infra, Service s, int port, String key, StackPorts ports,
                                           ApiKeyFiles.Keys apiKeys, Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (s.database == null) { // the console: the services' URLs, and the broker its Operations page reads
            ports.services().forEach((other, p) -> env.put(other.urlVariable(), "http://127.0.0.1:" + p));
            env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers());
            // its own background calls carry the services' credential; a user's pages carry that user's key
            env.put("SYNCLINE_SERVICE_KEY", apiKeys.service());
            return env;
        }
        // keys by their hash only: no service holds the admin key itself
        env.put("SYNCLINE_ADMIN_KEY_HASH", ApiKeys.hash(apiKeys.admin()));
        env.put("SYNCLINE_ADMIN_KEY_PREFIX", apiKeys.admin().substring(0, 12));
        env.put("SYNCLINE_SERVICE_KEY_HASH", ApiKeys.hash(apiKeys.service()));
        env.put("DB_REACTIVE_URL", infra.postgres().reactiveUrl(s.database));
        env.put("DB_JDBC_URL", infra.postgres().jdbcUrl(s.database));
        DatabaseLogin login = infra.postgres().login(s.role());
        env.put("DB_USER", login.user());
        env.put("DB_PASSWORD", login.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafka().bootstrapServers());
        env.put("APICURIO_REGISTRY_URL", infra.registry().url());
        env.put("SYNCLINE_SECRETS_KEY", key);
        env.putAll(connectorReach(infra, ports, dir));
        return env;
    }

    /**
     * Where connectors may not go: every address of this stack (PostgreSQL's databases of the platform, Kafka, the
     * registry, each service and the console), and the one folder file connectors may use, {@code <data dir>/files}
     * (else what SYNCLINE_CONNECTORS_FILES_ROOTS says). An admin's SYNCLINE_CONNECTORS_ALLOWED_TARGETS reaches the
     * services as it is.
     */
    static Map<String, String> connectorReach(Infrastructure infra, StackPorts ports, Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SYNCLINE_CONNECTORS_PLATFORM_POSTGRES", "127.0.0.1:" + infra.postgres().port());
        List<String> databases = new ArrayList<>();
        for (Service s : Service.values()) {
            if (s.database != null) {
                databases.add(s.database);
            }
        }
        databases.add(Infrastructure.REGISTRY_DATABASE);
        env.put("SYNCLINE_CONNECTORS_PLATFORM_DATABASES", String.join(",", databases));
        List<String> targets = new ArrayList<>(infra.platformTargets());
        ports.services().values().forEach(p -> targets.add("127.0.0.1:" + p));
        env.put("SYNCLINE_CONNECTORS_PLATFORM_TARGETS", String.join(",", targets));
        env.put("SYNCLINE_CONNECTORS_FILES_ROOTS", filesRoots(dir));
        return env;
    }

    /**
     * The folders file connectors may read and write: SYNCLINE_CONNECTORS_FILES_ROOTS when an admin set it, else
     * {@code files} in the data folder, made on start.
     */
    static String filesRoots(Path dir) {
        String roots = System.getenv("SYNCLINE_CONNECTORS_FILES_ROOTS");
        if (roots != null && !roots.isBlank()) {
            return roots;
        }
        Path files = dir.resolve("files").toAbsolutePath();
        try {
            Files.createDirectories(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.toString();
    }

    /** The key secrets are encrypted with, made on first start and kept (owner-only) with the data. */
    private static String secretsKey(Path file) {
        return OwnerOnlyFiles.readOrCreate(file, SecretKeys::generate);
    }

    /** The walkthrough's login: user {@value #WAREHOUSE_USER}, owner of database {@value #WAREHOUSE} only. */
    public DatabaseLogin warehouse() {
        return infrastructure.postgres().login(WAREHOUSE_USER);
    }

    /** The owner-only file a stack in {@code dir} keeps a database role's password in. */
    static Path passwordFile(Path dir, String role) {
        return PostgresServer.logins(Infrastructure.postgresDir(dir)).file(role);
    }

    /** The role that owns {@code database} in a stack (a service's, the registry's, the warehouse's), if it is one of them. */
    static java.util.Optional<String> ownerOf(String database) {
        if (WAREHOUSE.equals(database)) {
            return java.util.Optional.of(WAREHOUSE_USER);
        }
        if (Infrastructure.REGISTRY_DATABASE.equals(database)) {
            return java.util.Optional.of(Infrastructure.REGISTRY_ROLE);
        }
        return java.util.Arrays.stream(Service.values()).filter(s -> database.equals(s.database)).map(Service::role).findFirst();
    }

    /** The first admin API key (kept in {@code admin.key}, owner-only). */
    public String adminKey() {
        return apiKeys.admin();
    }

    /** Whether this start made the admin key (the first start with this folder): the launcher prints it then, once. */
    public boolean adminKeyIsNew() {
        return apiKeys.adminIsNew();
    }

    public String url(Service s) {
        return "http://127.0.0.1:" + ports.services().get(s);
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    public Path dir() {
        return dir;
    }

    /** kill -9 of a service's process: a crash, no shutdown hook runs. */
    public void kill(Service s) {
        services.get(s).kill();
    }

    /** Stops a service (if it still runs), starts it again on its port and waits until it is ready. */
    public void restart(Service s) {
        ChildProcess p;
        synchronized (locks.get(s)) {
            // out of the map first: its exit is not a crash for the supervisor
            services.remove(s).close();
            p = launch(s);
        }
        awaitReady(s, p);
    }

    /**
     * Restarts one component by the name {@code ./syncline restart} takes: a service's module name (the console
     * included), or {@code postgres}, {@code kafka}, {@code registry}. Returns once it is ready again.
     */
    public void restart(String component) {
        switch (component(component)) {
            case "postgres" -> restartPostgres();
            case "kafka" -> {
                infrastructure.stopKafka();
                infrastructure.startKafka();
            }
            case "registry" -> {
                infrastructure.stopRegistry();
                infrastructure.startRegistry();
            }
            default -> restart(Service.byModule(component).orElseThrow());
        }
    }

    /** The component {@code name} means (the table's postgresql and apicurio-registry too), or why there is none. */
    static String component(String name) {
        String c = switch (name) {
            case "postgresql" -> "postgres";
            case "apicurio-registry" -> "registry";
            default -> name;
        };
        if (!componentNames().contains(c)) {
            throw new IllegalArgumentException("no component " + name + " (one of " + String.join(", ", componentNames()) + ")");
        }
        return c;
    }

    /** What {@link #restart(String)} takes. */
    static List<String> componentNames() {
        List<String> names = new ArrayList<>();
        for (Service s : Service.values()) {
            names.add(s.module);
        }
        names.addAll(INFRASTRUCTURE);
        return names;
    }

    /**
     * PostgreSQL again on its port and data. After a kill -9 its backends may hold the old shared memory for a moment:
     * then the start is tried again (three times, a second apart).
     */
    private void restartPostgres() {
        infrastructure.stopPostgres();
        for (int attempt = 1; ; attempt++) {
            try {
                infrastructure.startPostgres();
                return;
            } catch (RuntimeException e) {
                if (attempt >= 3) {
                    throw e;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * From now on a service whose process ends on its own (a crash, kill -9, out of memory) is started again, after
     * 1, 2, 4 … 60 s, each step said on {@code say}; {@code restarted} runs after each such restart.
     */
    public void supervise(java.util.function.Consumer<String> say, Runnable restarted) {
        Supervisor s = new Supervisor(this, say, restarted);
        supervisor = s;
        services.forEach((service, p) -> {
            s.watch(service, p);
            s.ready(p); // started and ready before
        });
    }

    /** A new process for the service, watched by the supervisor if there is one; the caller holds its lock. */
    private ChildProcess launch(Service s) {
        ChildProcess p = ChildProcess.start(s.module, command(home, s), home, dir.resolve("logs").resolve(s.module + ".log"),
                environment(infrastructure, s, ports.services().get(s), key, ports, apiKeys, dir));
        services.put(s, p);
        Supervisor watching = supervisor;
        if (watching != null) {
            watching.watch(s, p);
        }
        return p;
    }

    /** For the supervisor: a new process in place of {@code ended}, unless the stack stops or someone replaced it since. */
    ChildProcess replace(Service s, ChildProcess ended) {
        synchronized (locks.get(s)) {
            return closing || services.get(s) != ended ? null : launch(s);
        }
    }

    /** Whether {@code p} is the service's process of the running stack (not one it stopped or replaced). */
    boolean isCurrent(Service s, ChildProcess p) {
        return !closing && services.get(s) == p;
    }

    void awaitReady(Service s, ChildProcess p) {
        dev.syncline.infra.Waiting.until(p, "ready on " + url(s), Duration.ofSeconds(180), () -> healthy(s));
        Supervisor watching = supervisor;
        if (watching != null) {
            watching.ready(p);
        }
    }

    /** Another instance of a service, on a port of its own, sharing the stack's database and Kafka; returns its URL. */
    public String startInstance(Service s) {
        int port = dev.syncline.infra.FreePorts.pick();
        String url = "http://127.0.0.1:" + port;
        ChildProcess p = ChildProcess.start(s.module + "-" + (extras.size() + 2), command(home, s), home,
                dir.resolve("logs").resolve(s.module + "-" + (extras.size() + 2) + ".log"),
                environment(infrastructure, s, port, key, ports, apiKeys, dir));
        extras.put(url, p);
        dev.syncline.infra.Waiting.until(p, "ready on " + url, Duration.ofSeconds(180), () -> health(url).equals("UP"));
        return url;
    }

    /** kill -9 of an instance started by {@link #startInstance}. */
    public void killInstance(String url) {
        extras.get(url).kill();
    }

    /** The process of a service's first instance. */
    public ChildProcess process(Service s) {
        return services.get(s);
    }

    public Map<Service, Long> servicePids() {
        Map<Service, Long> pids = new EnumMap<>(Service.class);
        services.forEach((s, p) -> pids.put(s, p.pid()));
        return pids;
    }

    boolean healthy(Service s) {
        return health(url(s)).equals("UP");
    }

    /** UP, DOWN, or unreachable. */
    static String health(String baseUrl) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"UP\"") ? "UP" : "DOWN";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    /** The table the launcher prints. */
    public String table() {
        StringBuilder t = new StringBuilder();
        String row = "%-19s %-42s %s%n";
        t.append(String.format(row, "COMPONENT", "URL / ADDRESS", "DETAILS"));
        for (Service s : Service.values()) {
            t.append(String.format(row, s.module, url(s), s.database == null ? "the web console: open it in a browser"
                    : "/q/health, /q/openapi, /q/metrics; database " + s.database));
        }
        t.append(String.format(row, "kafka", infrastructure.kafka().bootstrapServers(), "KRaft, topics syncline.*"));
        t.append(String.format(row, "apicurio-registry", infrastructure.registry().url(), "compatibility BACKWARD"));
        t.append(String.format(row, "postgresql", "127.0.0.1:" + infrastructure.postgres().port(),
                "databases connection, schema, sync, rejects, registry (each its own user); warehouse: user "
                        + WAREHOUSE_USER + ", password in $WAREHOUSE_PASSWORD (./syncline env)"));
        t.append(String.format(row, "data", dir.toAbsolutePath(), "logs in " + dir.resolve("logs").toAbsolutePath()));
        t.append(String.format(row, "files", filesRoots(dir), "the folders files sources and DuckDB may use"));
        return t.toString();
    }

    /** {@code export NAME=value} lines for a shell: the URLs and ports of this stack. */
    public String environmentExports() {
        StringBuilder sb = new StringBuilder();
        for (Service s : Service.values()) {
            sb.append("export ").append(s.urlVariable()).append('=').append(url(s)).append('\n');
        }
        // the key itself stays in its owner-only file: these lines read it when they are evaluated
        sb.append("export SYNCLINE_API_KEY=\"$(cat '").append(dir.resolve(ApiKeyFiles.ADMIN).toAbsolutePath()).append("')\"\n");
        sb.append("export AUTH=\"Authorization: Bearer $SYNCLINE_API_KEY\"\n");
        sb.append("export PG_PORT=").append(infrastructure.postgres().port()).append('\n');
        // the walkthrough's database user; its password, like the key, is read from its owner-only file
        sb.append("export WAREHOUSE_USER=").append(WAREHOUSE_USER).append('\n');
        sb.append("export WAREHOUSE_PASSWORD=\"$(cat '").append(passwordFile(dir, WAREHOUSE_USER).toAbsolutePath()).append("')\"\n");
        sb.append("export KAFKA_BOOTSTRAP_SERVERS=").append(infrastructure.kafka().bootstrapServers()).append('\n');
        sb.append("export APICURIO_REGISTRY_URL=").append(infrastructure.registry().url()).append('\n');
        // the folder files sources and DuckDB destinations may use (the first, when an admin named several)
        sb.append("export SYNCLINE_FILES='").append(filesRoots(dir).split(",")[0]).append("'\n");
        return sb.toString();
    }

    /** Stops the services (SIGTERM, then SIGKILL after 20 s), then the registry, Kafka and PostgreSQL. */
    @Override
    public void close() {
        closing = true;
        if (supervisor != null) {
            supervisor.close();
        }
        long t0 = System.nanoTime();
        // all at once, on threads of their own (the common pool has one thread on a 2-core machine)
        try (ExecutorService stoppers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("stack-stop-", 0).factory())) {
            services.values().forEach(p -> stoppers.submit(p::close));
            extras.values().forEach(p -> stoppers.submit(p::close));
        }
        long t1 = System.nanoTime();
        infrastructure.close();
        System.out.printf("stopped the services in %d ms, Kafka, the registry and PostgreSQL in %d ms%n",
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }
}
