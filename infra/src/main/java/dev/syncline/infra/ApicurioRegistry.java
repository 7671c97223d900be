package dev.syncline.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apicurio Registry from its {@code tar.gz:all} distribution (a Quarkus app), both its HTTP and management
 * ports pinned to loopback. Storage is in memory unless a PostgreSQL database is given.
 */
public final class ApicurioRegistry implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** No call of ours waits on the registry for ever: an unanswered one fails, and says so. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ChildProcess process;
    private final String host;
    private final int port;
    private final AutoCloseable stop;

    private ApicurioRegistry(ChildProcess process, String host, int port, AutoCloseable stop) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.stop = stop;
    }

    /** A registry started elsewhere (a container), given the BACKWARD rule: {@code stop} stops it. */
    public static ApicurioRegistry external(String host, int port, AutoCloseable stop) {
        ApicurioRegistry registry = new ApicurioRegistry(null, host, port, stop);
        registry.requireBackwardCompatibility();
        return registry;
    }

    /** Where the registry keeps its artifacts. */
    public sealed interface Storage {
        /** Lost when it stops: fine for tests. */
        record InMemory() implements Storage { }

        /** Kept across restarts, so ids in messages already on Kafka stay valid. */
        record Postgres(String jdbcUrl, String username, String password) implements Storage { }
    }

    public static ApicurioRegistry start(Path dir, int port, int managementPort, Storage storage) {
        Path home = BuildInfo.registryHome();
        if (!Files.exists(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + home
                    + ": build the infra module with Maven (it unpacks io.apicurio:apicurio-registry-app)");
        }
        List<String> cmd = new ArrayList<>(List.of(Java.binary(), "-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                // The serdes' registry client sets no request timeout (and does not retry a closed connection): a
                // request this server never answered held its caller for Quarkus' default 30-minute idle timeout. 90 s
                // closes it instead, and the caller's own retry takes over (the services count a closed connection
                // as transient). It is longer than the clients' 60-second keep-alive, so an idle pooled connection
                // is the client's to close, never closed under a request it is just sending.
                "-Dquarkus.http.idle-timeout=90S",
                "-Dquarkus.log.level=WARN", "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
                "-Dapicurio.storage.snapshot.location=" + dir.toAbsolutePath()));
        if (storage instanceof Storage.Postgres pg) {
            cmd.addAll(List.of("-Dapicurio.storage.kind=sql", "-Dapicurio.storage.sql.kind=postgresql",
                    "-Dapicurio.datasource.url=" + pg.jdbcUrl(),
                    "-Dapicurio.datasource.jdbc.initial-size=2", "-Dapicurio.datasource.jdbc.min-size=2",
                    "-Dapicurio.datasource.jdbc.max-size=10"));
        }
        cmd.addAll(List.of("-jar", home.resolve("quarkus-run.jar").toString()));
        // credentials through the environment, never on a command line that `ps` shows
        Map<String, String> env = storage instanceof Storage.Postgres pg
                ? Map.of("APICURIO_DATASOURCE_USERNAME", pg.username(), "APICURIO_DATASOURCE_PASSWORD", pg.password())
                : Map.of();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChildProcess p = ChildProcess.start("apicurio-registry", cmd, home, dir.resolve("registry.log"), env);
        ApicurioRegistry registry = new ApicurioRegistry(p, "127.0.0.1", port, null);
        Waiting.until(p, "serving on 127.0.0.1:" + port, Duration.ofSeconds(180), registry::answers);
        registry.requireBackwardCompatibility();
        return registry;
    }

    /** The URL the Apicurio serdes take ({@code apicurio.registry.url}). */
    public String url() {
        return "http://" + host + ":" + port + "/apis/registry/v3";
    }

    public int port() {
        return port;
    }

    /** The registry's process id, or -1 when it runs elsewhere. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    private boolean answers() {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/system/info")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Global rule: a new version of an event schema must read data written with the previous one. */
    void requireBackwardCompatibility() {
        String body = "{\"ruleType\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/admin/rules")).timeout(CALL_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 409) {
                r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/admin/rules/COMPATIBILITY"))
                        .timeout(CALL_TIMEOUT).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            }
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("registry refused the BACKWARD rule: " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("registry unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The global compatibility rule, e.g. {@code BACKWARD}. */
    public String compatibilityRule() {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/admin/rules/COMPATIBILITY"))
                    .timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "none (" + r.statusCode() + ")";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Whether the registry holds {@code groupId/artifactId}: with the record-name strategy, one per event type. */
    public boolean hasArtifact(String groupId, String artifactId) {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/groups/" + groupId + "/artifacts/" + artifactId))
                    .timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        } else {
            KafkaBroker.closeQuietly(stop);
        }
    }
}
