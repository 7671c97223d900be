package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.infra.Directories;
import dev.syncline.infra.PostgresServer;
import dev.syncline.stack.Service;
import dev.syncline.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rejected-record path through the whole product: a data activation sync whose every record the mapping refuses
 * (a malformed email), so each becomes a RecordRejected that sync-service writes to its outbox, the relay publishes
 * to Kafka and rejects-service stores. Timed from "sync now" until rejects-service holds every record; the job's
 * own duration is printed beside it.
 */
public final class RejectsBenchmark {
    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 200_000);
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("syncline-bench-rejects-");
        try (Stack stack = ProductBenchmark.startStack(home, dir)) {
            PostgresServer pg = stack.infrastructure().postgres();
            pg.createDatabase("bench_crm");
            pg.createDatabase("bench_app");
            long warmRows = Math.max(1, Long.getLong("warmup", rows)); // the JVMs compile the hot paths while it runs
            for (String[] t : new String[][] {{"people_warmup", "contacts_warmup", String.valueOf(warmRows)},
                    {"people", "contacts", String.valueOf(rows)}, {"people_logged", "contacts_logged", String.valueOf(rows)}}) {
                ConnectorsBenchmark.exec(pg, "bench_crm", "create table " + t[0] + " (id bigint primary key, email text, "
                        + "full_name text, updated_at timestamptz not null)");
                ConnectorsBenchmark.exec(pg, "bench_crm", "insert into " + t[0] + " select i, 'person' || i || '.example.com', "
                        + "'Person ' || i, timestamptz '2026-01-01' + i * interval '1 second' from generate_series(1, " + t[2] + ") i");
                ConnectorsBenchmark.exec(pg, "bench_app", "create table " + t[1] + " (id bigint primary key, email text not null, "
                        + "name text not null)");
            }
            System.out.printf("%,d source rows (and %,d for a warm-up sync first), each with a malformed email%n", rows, warmRows);

            String cs = stack.url(Service.CONNECTION);
            String source = ProductBenchmark.post(cs + "/sources", "{\"name\":\"CRM\",\"sourceType\":\"postgres\",\"configuration\":"
                    + "{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"bench_crm\","
                    + pg.superuser().configMembers() + "}}").get("sourceId").asText();
            String destination = ProductBenchmark.post(cs + "/destinations", "{\"name\":\"App\",\"destinationType\":\"postgres-table\","
                    + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\"bench_app\","
                    + pg.superuser().configMembers() + ",\"schema\":\"public\"}}").get("destinationId").asText();

            // the JVMs compile the hot paths during the first sync (sync log on, so its writer is compiled too)
            run(stack, source, destination, "people_warmup", "contacts_warmup", warmRows, "warm-up (JIT compiling)", true);
            double off = run(stack, source, destination, "people", "contacts", rows, "measured, sync log off", false);
            double on = run(stack, source, destination, "people_logged", "contacts_logged", rows,
                    "measured, sync log on (every operation written back to bench_app.syncline_audit)", true);
            System.out.printf("%nsync log on / off, sync now → every record stored: %,.0f / %,.0f records/s = %.2f "
                    + "(issue 22: the sync log costs at most 10 %%, so >= 0.90)%n", on, off, on / off);
        } finally {
            Directories.delete(dir); // the servers' data: about 2 GB after a run
        }
        System.exit(0);
    }

    /** One sync of {@code rows} records, every one rejected; returns "sync now → every record stored" in records/s. */
    private static double run(Stack stack, String source, String destination, String stream, String object, long rows,
                              String label, boolean syncLog) throws Exception {
        String cs = stack.url(Service.CONNECTION);
        String ss = stack.url(Service.SYNC);
        String rj = stack.url(Service.REJECTS);
        String body = "{\"name\":\"" + stream + "\",\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination
                + "\",\"mappings\":[{\"namespace\":\"public\",\"stream\":\"" + stream + "\",\"destinationObject\":\"" + object
                + "\",\"insertionMethod\":\"upsert\",\"matchingKey\":[\"id\"],\"syncMode\":\"full_refresh\",\"fields\":["
                + "{\"source\":[\"id\"],\"destination\":\"id\"},{\"source\":[\"email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"full_name\"],\"destination\":\"name\"}]}]}";
        String connection = null;
        while (connection == null) {
            try {
                connection = ProductBenchmark.post(cs + "/connections", body).get("connectionId").asText();
            } catch (IllegalStateException notYet) {
                Thread.sleep(200); // the source's streams or the destination's objects are still being discovered
            }
        }
        Thread.sleep(1000); // sync-service applies the configuration
        if (syncLog) {
            ProductBenchmark.send("PUT", ss + "/connections/" + connection + "/sync-logs", "{\"destinationId\":\"" + destination + "\"}");
        }

        System.out.printf("%s: sync now%n", label);
        System.out.flush();
        long tSync = System.nanoTime();
        long wallSync = System.currentTimeMillis();
        JsonNode job = ProductBenchmark.syncAndWait(cs, ss, connection, -1); // a new connection: its first job
        double jobDone = (System.nanoTime() - tSync) / 1e9;
        // stored: counted in rejects-service's database (its counts endpoint aggregates reasons over every row: asked
        // ten times a second it would load the database more than the path measured here)
        long stored;
        try (java.sql.Connection db = stack.infrastructure().postgres().connect("rejects");
             java.sql.PreparedStatement count = db.prepareStatement("select count(*) from rejected_record where connection_id = ?")) {
            count.setObject(1, java.util.UUID.fromString(connection));
            while (true) {
                try (java.sql.ResultSet rs = count.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                if (stored >= rows) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        double all = (System.nanoTime() - tSync) / 1e9;
        String timeline;
        double sustained;
        try (java.sql.Connection db = stack.infrastructure().postgres().connect("rejects");
             java.sql.PreparedStatement q = db.prepareStatement("select extract(epoch from min(rejected_at)), extract(epoch from "
                     + "max(rejected_at)), extract(epoch from min(received_at)), extract(epoch from max(received_at)), "
                     + "extract(epoch from percentile_disc(0.5) within group (order by received_at - rejected_at)), "
                     + "extract(epoch from percentile_disc(0.99) within group (order by received_at - rejected_at)) "
                     + "from rejected_record where connection_id = ?")) {
            q.setObject(1, java.util.UUID.fromString(connection));
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                double s0 = wallSync / 1000.0;
                sustained = rows / (rs.getDouble(4) - rs.getDouble(1));
                timeline = String.format("where the time goes: sync now at 0; the job queued at +%.2f s and started at +%.2f s; "
                        + "sync-service rejected the first record at +%.2f s and the last at +%.2f s (job ended at +%.2f s); "
                        + "rejects-service stored the first at +%.2f s and the last at +%.2f s; rejected → stored "
                        + "p50 %.2f s, p99 %.2f s", ProductBenchmark.since(wallSync, job.path("createdAt")),
                        ProductBenchmark.since(wallSync, job.path("startedAt")), rs.getDouble(1) - s0, rs.getDouble(2) - s0,
                        ProductBenchmark.since(wallSync, job.path("endedAt")), rs.getDouble(3) - s0,
                        rs.getDouble(4) - s0, rs.getDouble(5), rs.getDouble(6));
            }
        }
        long counted = ProductBenchmark.get(rj + "/rejected-records/counts?connectionId=" + connection).path("total").asLong();
        System.out.printf("%n[%s, %,d records]%n", label, rows);
        System.out.printf("%-60s %8.2f s  %,12.0f records/s%n", "sync now → job succeeded (every record rejected)", jobDone,
                rows / jobDone);
        System.out.printf("%-60s %8.2f s  %,12.0f records/s%n", "sync now → every RecordRejected stored by rejects-service",
                all, rows / all);
        System.out.printf("rejected %,d, stored %,d (GET /rejected-records/counts: %,d); rejected-record path %,.0f records/s "
                + "(goal >= 20,000)%n", job.path("recordsRejected").asLong(), stored, counted, rows / all);
        System.out.println(timeline);
        System.out.printf("sustained: %,d records from the first rejected to the last stored: %,.0f records/s (goal >= 20,000)%n",
                rows, sustained);
        if (syncLog) { // written off the sync's path: how long after "sync now" the log holds every operation
            while (true) {
                JsonNode log = ProductBenchmark.get(ss + "/connections/" + connection + "/sync-logs");
                if (log.path("writtenOperations").asLong() >= rows && log.path("pendingBatches").asLong() == 0) {
                    break;
                }
                Thread.sleep(100);
            }
            double logged = (System.nanoTime() - tSync) / 1e9;
            System.out.printf("%-60s %8.2f s  %,12.0f records/s%n", "sync now → every operation in the sync log", logged,
                    rows / logged);
        }
        return rows / all;
    }
}
