package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.infra.Directories;
import dev.syncline.infra.PostgresServer;
import dev.syncline.stack.Service;
import dev.syncline.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connectors benchmark's PostgreSQL → PostgreSQL full refresh | overwrite, through the whole product: the stack
 * started as real processes, the source, destination and connection created over REST, "sync now", timed until the
 * job succeeded; the raw COPY pipe measured in the same run on the same server. Also the sync-service's peak heap,
 * sampled from its Prometheus metrics while the sync runs.
 */
public final class ProductBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 1_000_000);
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("syncline-bench-product-");
        try (Stack stack = startStack(home, dir)) {
            PostgresServer pg = stack.infrastructure().postgres();
            pg.createDatabase("bench_src");
            System.out.printf("loading %,d users rows ...%n", rows);
            long tLoad = System.nanoTime();
            ConnectorsBenchmark.loadUsers(pg, "bench_src", rows);
            System.out.printf("loaded in %.1f s%n%n", (System.nanoTime() - tLoad) / 1e9);

            ConnectorsBenchmark.exec(pg, Stack.WAREHOUSE, "create table public.copy_a (" + ConnectorsBenchmark.COLUMNS_DDL + ")");
            ConnectorsBenchmark.quiesce(pg);
            double a = ConnectorsBenchmark.timed(() -> ConnectorsBenchmark.copyPipe(pg, "bench_src", "COPY public.users TO STDOUT",
                    Stack.WAREHOUSE, "COPY public.copy_a FROM STDIN"));
            ConnectorsBenchmark.report("(a) COPY TO STDOUT | COPY FROM STDIN", rows, a);

            String cs = stack.url(Service.CONNECTION);
            String ss = stack.url(Service.SYNC);
            String connection = usersConnection(stack, "Bench", "bench_src", "bench",
                    "\"syncMode\":\"full_refresh\",\"destinationSyncMode\":\"overwrite\"");

            // a first sync of the same rows, untimed: the JVMs compile their hot paths and the serdes fetch their
            // schemas, as in a service that has been running for a while
            long tWarm = System.nanoTime();
            long warmJob = syncAndWait(cs, ss, connection, -1).path("jobId").asLong();
            System.out.printf("warm-up sync of the same rows (cold JVMs): %.2f s%n", (System.nanoTime() - tWarm) / 1e9);

            ConnectorsBenchmark.quiesce(pg); // the warm-up's 1,000,000 rows are being vacuumed: not part of the sync
            // the sync-service's GC log (bench/run asks for it): what the heap held before each collection of the sync
            Path gcLog = Path.of(System.getProperty("syncline.bench.gclog", "target/sync-service-gc.log"));
            long gcLogFrom = Files.exists(gcLog) ? Files.size(gcLog) : -1;
            long tSync = System.nanoTime();
            long wallSync = System.currentTimeMillis();
            JsonNode job = syncAndWait(cs, ss, connection, warmJob);
            double product = (System.nanoTime() - tSync) / 1e9;
            if (!job.path("status").asText().equals("succeeded")) {
                throw new IllegalStateException("the sync failed: " + job);
            }
            double jobOnly = job.path("durationMillis").asLong() / 1000.0;
            System.out.printf("where the time goes: sync now at 0; job queued at +%.2f s, started at +%.2f s, ended at +%.2f s, "
                    + "seen ended at +%.2f s%n", since(wallSync, job.path("createdAt")), since(wallSync, job.path("startedAt")),
                    since(wallSync, job.path("endedAt")), product);
            ConnectorsBenchmark.report("(p) Syncline: sync now → job succeeded", rows, product);
            ConnectorsBenchmark.report("    of which the job itself (start → end)", rows, jobOnly);
            System.out.printf("%nrecords written %,d; ratio (p)/(a) = %.2f (goal >= 0.7); job alone %.2f%n",
                    job.path("recordsWritten").asLong(), a / product, a / jobOnly);
            System.out.println(gcLogFrom < 0 ? "sync-service peak heap: no GC log at " + gcLog + " (run it with bench/run product)"
                    : heapDuring(gcLog, gcLogFrom));
        } finally {
            Directories.delete(dir); // the servers' data: about 2 GB after a run
        }
        System.exit(0);
    }

    private static final Pattern GC_LINE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

    /** The heap before each collection in the GC log after {@code from}: its peak, and the collections' count and pauses. */
    static String heapDuring(Path gcLog, long from) throws Exception {
        String log;
        try (var in = Files.newInputStream(gcLog)) {
            in.skipNBytes(from);
            log = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Matcher m = GC_LINE.matcher(log);
        long peak = 0;
        long committed = 0;
        int collections = 0;
        double pauses = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
            committed = Math.max(committed, Long.parseLong(m.group(3)));
            collections++;
            pauses += Double.parseDouble(m.group(4));
        }
        return String.format("sync-service peak heap used during the sync: %d MiB (before the fullest of its %d collections; "
                + "heap %d MiB of -Xmx512m; %.0f ms of GC pauses)", peak, collections, committed, pauses);
    }

    /** Sync now, then the job after {@code previousJob} once it ended. */
    static JsonNode syncAndWait(String cs, String ss, String connection, long previousJob) throws Exception {
        return syncAndWait(cs, ss, connection, previousJob, 100);
    }

    /** As above, polling the jobs every {@code pollMillis}. */
    static JsonNode syncAndWait(String cs, String ss, String connection, long previousJob, long pollMillis) throws Exception {
        send("POST", cs + "/connections/" + connection + "/sync", null);
        while (true) {
            JsonNode job = get(ss + "/connections/" + connection + "/jobs").path(0);
            String status = job.path("status").asText();
            if (job.path("jobId").asLong(previousJob) != previousJob && (status.equals("succeeded") || status.equals("failed"))) {
                if (!status.equals("succeeded")) {
                    throw new IllegalStateException("the sync failed: " + job);
                }
                return job;
            }
            Thread.sleep(pollMillis);
        }
    }

    /**
     * A postgres source on {@code sourceDb} of the stack's PostgreSQL, the stack's warehouse (schema {@code schema}) as
     * destination, and a connection syncing public.users with {@code streamSettings} (JSON members), made over REST;
     * its id, once sync-service has had time to apply its configuration.
     */
    static String usersConnection(Stack stack, String name, String sourceDb, String schema, String streamSettings)
            throws Exception {
        PostgresServer pg = stack.infrastructure().postgres();
        String cs = stack.url(Service.CONNECTION);
        String source = post(cs + "/sources", "{\"name\":\"" + name + " source\",\"sourceType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"" + sourceDb + "\","
                + pg.superuser().configMembers() + "}}").get("sourceId").asText();
        String destination = post(cs + "/destinations", "{\"name\":\"" + name + " warehouse\",\"destinationType\":\"postgres\","
                + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"" + Stack.WAREHOUSE
                + "\"," + stack.warehouse().configMembers() + ",\"schema\":\"" + schema + "\"}}").get("destinationId").asText();
        String connection = post(cs + "/connections", "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination
                + "\"}").get("connectionId").asText();
        while (!get(cs + "/connections/" + connection + "/catalog").path("status").asText().equals("discovered")) {
            Thread.sleep(100);
        }
        send("PATCH", cs + "/connections/" + connection, "{\"streams\":[{\"namespace\":\"public\",\"name\":\"users\","
                + streamSettings + "}]}");
        Thread.sleep(1000); // sync-service applies the configuration
        return connection;
    }

    static double since(long wallMillis, JsonNode time) {
        return (java.time.OffsetDateTime.parse(time.asText()).toInstant().toEpochMilli() - wallMillis) / 1000.0;
    }

    static JsonNode post(String url, String body) throws Exception {
        return send("POST", url, body);
    }

    static JsonNode get(String url) throws Exception {
        return send("GET", url, null);
    }

    /** The stack started for a benchmark, its admin key set for every call, and how long it took said. */
    static Stack startStack(Path home, Path dir) {
        long t0 = System.nanoTime();
        Stack stack = Stack.start(home, dir, 3);
        apiKey = stack.adminKey();
        System.out.printf("stack up in %.1f s (data in %s)%n", (System.nanoTime() - t0) / 1e9, dir);
        return stack;
    }

    /** The stack's admin key: every call carries it. */
    static volatile String apiKey;

    static JsonNode send(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }
}
