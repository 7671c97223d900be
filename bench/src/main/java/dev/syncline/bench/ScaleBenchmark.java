package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.infra.Directories;
import dev.syncline.stack.Service;
import dev.syncline.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 23, item 5: one stack holding many connections, some of them on a one-minute schedule, for some minutes. The
 * sources are sample-data (a few rows: what is measured is the scheduling, not the data), 100 connections per source
 * (connection-service's limit), all into one PostgreSQL destination, each connection with its own table prefix. At the end, from every scheduled connection's jobs (sync-service's REST API):
 * <ul>
 * <li>scheduler lag: from a job's fire time ({@code scheduledFor}) to the job queued ({@code createdAt}), and to the job
 * started ({@code startedAt}: that also waits for a free runner, at most {@code syncline.sync.max-concurrent} at once);</li>
 * <li>fires missed: fewer jobs than the whole minutes from a connection's first fire to the end of the run, plus one;</li>
 * <li>jobs stuck: not ended a minute after their fire time (a sync of a few rows takes well under a second).</li>
 * </ul>
 */
public final class ScaleBenchmark {
    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("connections", 1000);
        int scheduled = Integer.getInteger("scheduled", 200);
        int minutes = Integer.getInteger("minutes", 10);
        if (scheduled > connections || connections < 1 || minutes < 1) {
            throw new IllegalArgumentException("need 1 <= scheduled <= connections and minutes >= 1, not " + connections + ", "
                    + scheduled + ", " + minutes);
        }
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("syncline-bench-scale-");
        try (Stack stack = ProductBenchmark.startStack(home, dir)) {
            String cs = stack.url(Service.CONNECTION);
            String ss = stack.url(Service.SYNC);
            var pg = stack.infrastructure().postgres();
            String destination = ProductBenchmark.post(cs + "/destinations", "{\"name\":\"Scale warehouse\","
                    + "\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port()
                    + ",\"database\":\"" + Stack.WAREHOUSE + "\"," + stack.warehouse().configMembers()
                    + ",\"schema\":\"scale\"}}").get("destinationId").asText();
            int perSource = 100;
            List<String> sources = new ArrayList<>();
            for (int s = 0; s * perSource < connections; s++) {
                sources.add(ProductBenchmark.post(cs + "/sources", "{\"name\":\"Sample " + s + "\",\"sourceType\":\"sample-data\","
                        + "\"configuration\":{\"seed\":" + s + ",\"rows\":10,\"products\":5,\"purchases\":10}}").get("sourceId").asText());
            }
            // made four at a time, as a team adding connections through the API would
            long tMake = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<String>> made = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int n = i;
                made.add(pool.submit(() -> {
                    String body = "{\"name\":\"Scale " + n + "\",\"sourceId\":\"" + sources.get(n / perSource)
                            + "\",\"destinationId\":\"" + destination + "\",\"prefix\":\"c" + n + "_\"}";
                    String id = ProductBenchmark.post(cs + "/connections", body).get("connectionId").asText();
                    while (!ProductBenchmark.get(cs + "/connections/" + id + "/catalog").path("status").asText().equals("discovered")) {
                        Thread.sleep(200);
                    }
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : made) {
                ids.add(f.get());
            }
            System.out.printf("%,d connections made and discovered in %.1f s (%d sources)%n", connections,
                    (System.nanoTime() - tMake) / 1e9, sources.size());
            List<Future<?>> patched = new ArrayList<>();
            for (String id : ids.subList(0, scheduled)) {
                patched.add(pool.submit(() -> ProductBenchmark.send("PATCH", cs + "/connections/" + id,
                        "{\"schedule\":{\"scheduleType\":\"basic\",\"basicUnits\":1,\"basicTimeUnit\":\"minutes\"}}")));
            }
            for (Future<?> f : patched) {
                f.get();
            }
            Instant from = Instant.now();
            System.out.printf("%d of them on a one-minute schedule from %s; running for %d minutes ...%n", scheduled, from, minutes);
            Thread.sleep(minutes * 60_000L);
            Instant to = Instant.now();
            // a fire just before the end is queued at the scheduler's next tick (it ticks once a second): read the jobs a
            // few seconds later, so that a fire counted as missed really is
            Thread.sleep(5_000L);

            List<Double> queuedLag = new ArrayList<>();
            List<Double> startLag = new ArrayList<>();
            int jobs = 0;
            int succeeded = 0;
            int failed = 0;
            int stuck = 0;
            int missed = 0;
            List<String> stuckJobs = new ArrayList<>();
            for (String id : ids.subList(0, scheduled)) {
                JsonNode list = ProductBenchmark.get(ss + "/connections/" + id + "/jobs?limit=500");
                int fired = 0;
                Instant first = null;
                for (JsonNode j : list) {
                    if (j.path("scheduledFor").isNull() || j.path("scheduledFor").isMissingNode()) {
                        continue;
                    }
                    Instant fire = OffsetDateTime.parse(j.path("scheduledFor").asText()).toInstant();
                    if (fire.isAfter(to)) {
                        continue;
                    }
                    fired++;
                    jobs++;
                    first = first == null || fire.isBefore(first) ? fire : first;
                    String status = j.path("status").asText();
                    queuedLag.add(seconds(fire, j.path("createdAt")));
                    if (!j.path("startedAt").isNull() && !j.path("startedAt").isMissingNode()) {
                        startLag.add(seconds(fire, j.path("startedAt")));
                    }
                    switch (status) {
                        case "succeeded" -> succeeded++;
                        case "failed", "cancelled" -> failed++;
                        default -> {
                            if (fire.isBefore(to.minusSeconds(60))) {
                                stuck++;
                                stuckJobs.add(id + " job " + j.path("jobId").asLong() + " " + status + " since " + fire);
                            }
                        }
                    }
                }
                // the first sync runs at once, then one a minute: every whole minute from the first fire to the end is one
                long expected = first == null ? minutes : java.time.Duration.between(first, to).toMinutes() + 1;
                if (fired < expected) {
                    missed += (int) (expected - fired);
                }
            }
            System.out.printf("%nscheduled jobs fired during the run: %,d (%d succeeded, %d failed), over %d connections%n", jobs,
                    succeeded, failed, scheduled);
            System.out.printf("%-44s %8s %8s %8s %8s%n", "from fire time (s)", "median", "p95", "p99", "max");
            System.out.printf("%-44s %8.3f %8.3f %8.3f %8.3f%n", "to job queued (scheduler lag, goal p99 < 2 s)",
                    SmallSyncBenchmark.percentile(queuedLag, 50), SmallSyncBenchmark.percentile(queuedLag, 95), SmallSyncBenchmark.percentile(queuedLag, 99), SmallSyncBenchmark.percentile(queuedLag, 100));
            System.out.printf("%-44s %8.3f %8.3f %8.3f %8.3f%n", "to job started (also waits for a runner)",
                    SmallSyncBenchmark.percentile(startLag, 50), SmallSyncBenchmark.percentile(startLag, 95), SmallSyncBenchmark.percentile(startLag, 99), SmallSyncBenchmark.percentile(startLag, 100));
            System.out.printf("fires missed: %d; jobs stuck (not ended a minute after their fire time): %d%n", missed, stuck);
            stuckJobs.stream().limit(20).forEach(s -> System.out.println("  stuck: " + s));
            pool.shutdownNow();
        } finally {
            Directories.delete(dir);
        }
        System.exit(0);
    }

    static double seconds(Instant from, JsonNode time) {
        return (OffsetDateTime.parse(time.asText()).toInstant().toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }
}
