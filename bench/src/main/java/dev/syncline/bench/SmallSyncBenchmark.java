package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.infra.Directories;
import dev.syncline.infra.PostgresServer;
import dev.syncline.stack.Service;
import dev.syncline.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a sync costs when almost nothing changed (issue 23, item 4): a PostgreSQL → PostgreSQL connection, incremental
 * | append + deduped on {@code users} ({@code rows} rows, default 100,000), synced once; then, for 0, 1 and 100 rows
 * changed in the source since the last sync, {@code runs} syncs each (default 20), timed from "sync now" (REST) until
 * the job is seen succeeded, polled every 20 ms. Median and p95, and the job's own start → end beside them.
 *
 * <p>The baseline, measured in the same run on the same server: the least a hand-written script does for the same
 * change, a fresh connection to each database, the rows changed since its own cursor read, upserted with
 * {@code INSERT ... ON CONFLICT} and committed; no scheduling, no events, no staging, no state kept elsewhere.
 */
public final class SmallSyncBenchmark {
    private static final String UPSERT = """
            insert into bench.users_by_hand values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
            on conflict (id) do update set created_at = excluded.created_at, updated_at = excluded.updated_at,
              email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
              country = excluded.country, city = excluded.city, age = excluded.age, score = excluded.score,
              balance = excluded.balance, active = excluded.active, plan = excluded.plan,
              signup_source = excluded.signup_source, tags = excluded.tags, preferences = excluded.preferences,
              notes = excluded.notes""";

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 100_000);
        int runs = Integer.getInteger("runs", 20);
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("syncline-bench-small-");
        try (Stack stack = ProductBenchmark.startStack(home, dir)) {
            PostgresServer pg = stack.infrastructure().postgres();
            pg.createDatabase("small_src");
            ConnectorsBenchmark.loadUsers(pg, "small_src", rows);
            ConnectorsBenchmark.exec(pg, Stack.WAREHOUSE, "create schema if not exists bench");
            ConnectorsBenchmark.exec(pg, Stack.WAREHOUSE, "create table bench.users_by_hand (" + ConnectorsBenchmark.COLUMNS_DDL
                    + ", primary key (id))");
            ConnectorsBenchmark.copyPipe(pg, "small_src", "COPY public.users TO STDOUT", Stack.WAREHOUSE,
                    "COPY bench.users_by_hand FROM STDIN");

            String cs = stack.url(Service.CONNECTION);
            String ss = stack.url(Service.SYNC);
            String connection = ProductBenchmark.usersConnection(stack, "Small", "small_src", "small",
                    "\"syncMode\":\"incremental\",\"destinationSyncMode\":\"append_dedup\",\"cursorField\":[\"updated_at\"],"
                    + "\"primaryKey\":[[\"id\"]]");
            long tFirst = System.nanoTime();
            long job = syncAndWait(cs, ss, connection, -1).path("jobId").asLong();
            System.out.printf("first sync of %,d rows: %.2f s%n", rows, (System.nanoTime() - tFirst) / 1e9);
            // warm-up: a few small syncs, untimed, as in a service that has been running for a while
            for (int i = 0; i < 3; i++) {
                change(pg, 1);
                job = syncAndWait(cs, ss, connection, job).path("jobId").asLong();
            }
            Timestamp[] byHandCursor = {null};
            ConnectorsBenchmark.quiesce(pg);

            System.out.printf("%n%d syncs per case, \"sync now\" → job seen succeeded (polled every 20 ms; the inclusive cursor "
                    + "reads the row at the last cursor again); the baseline is a script's fresh connections, SELECT since its "
                    + "cursor, INSERT ... ON CONFLICT, COMMIT%n%n", runs);
            System.out.printf("%-14s %12s %12s %14s %16s %16s%n", "rows changed", "median s", "p95 s", "job alone med",
                    "baseline med s", "baseline p95 s");
            List<String> where = new ArrayList<>();
            for (int changed : new int[] {0, 1, 100}) {
                List<Double> product = new ArrayList<>();
                List<Double> jobOnly = new ArrayList<>();
                List<Double> baseline = new ArrayList<>();
                List<Double> queued = new ArrayList<>();
                List<Double> started = new ArrayList<>();
                List<Double> ended = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    change(pg, changed);
                    long t = System.nanoTime();
                    long wall = System.currentTimeMillis();
                    JsonNode j = syncAndWait(cs, ss, connection, job);
                    product.add((System.nanoTime() - t) / 1e9);
                    jobOnly.add(j.path("durationMillis").asLong() / 1000.0);
                    queued.add(ProductBenchmark.since(wall, j.path("createdAt")));
                    started.add(ProductBenchmark.since(wall, j.path("startedAt")));
                    ended.add(ProductBenchmark.since(wall, j.path("endedAt")));
                    long written = j.path("recordsWritten").asLong();
                    // the cursor is inclusive (as Airbyte's): the row at the last cursor value is read again, at most one
                    if (written < changed || written > changed + 1) {
                        throw new IllegalStateException("the sync wrote " + written + " records for " + changed + " changed: " + j);
                    }
                    job = j.path("jobId").asLong();
                    // the same change again, by hand: the script's last run read everything before it
                    byHandCursor[0] = maxUpdatedAt(pg);
                    change(pg, changed);
                    long b = System.nanoTime();
                    int copied = byHand(pg, byHandCursor);
                    baseline.add((System.nanoTime() - b) / 1e9);
                    if (copied != changed) {
                        throw new IllegalStateException("the baseline copied " + copied + " rows for " + changed + " changed");
                    }
                    // the product's next sync would read the baseline's change too: it is read now, untimed
                    job = syncAndWait(cs, ss, connection, job).path("jobId").asLong();
                }
                System.out.printf("%-14d %12.3f %12.3f %14.3f %16.3f %16.3f%n", changed, percentile(product, 50),
                        percentile(product, 95), percentile(jobOnly, 50), percentile(baseline, 50), percentile(baseline, 95));
                where.add(String.format("%-14d %12.3f %12.3f %12.3f %12.3f", changed, percentile(queued, 50),
                        percentile(started, 50), percentile(ended, 50), percentile(product, 50)));
            }
            // where the time goes, from the job's own times (one clock: every process runs on this machine)
            System.out.printf("%nmedians from \"sync now\" (s): the job queued by sync-service, started, ended, and seen ended "
                    + "by this poll%n%-14s %12s %12s %12s %12s%n", "rows changed", "queued", "started", "ended", "seen");
            where.forEach(System.out::println);
            long finalRows = count(pg, Stack.WAREHOUSE, "select count(*) from small.users");
            System.out.printf("%nthe destination holds %,d rows (the source %,d): deduplicated by id%n", finalRows, rows);
            if (finalRows != rows) {
                throw new IllegalStateException("the destination holds " + finalRows + " rows, not " + rows);
            }
        } finally {
            Directories.delete(dir);
        }
        System.exit(0);
    }

    /** {@code n} rows of the source changed now (a new city, updated_at moved on). */
    static void change(PostgresServer pg, int n) throws Exception {
        if (n == 0) {
            return;
        }
        ConnectorsBenchmark.exec(pg, "small_src", "update public.users set city = 'Moved ' || (random() * 1000)::int, "
                + "updated_at = clock_timestamp() where id in (select id from public.users order by random() limit " + n + ")");
    }

    static Timestamp maxUpdatedAt(PostgresServer pg) throws Exception {
        try (Connection c = pg.connect("small_src"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select max(updated_at) from public.users")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** The baseline: the rows changed since {@code cursor[0]}, upserted by id; the cursor moves on. */
    static int byHand(PostgresServer pg, Timestamp[] cursor) throws Exception {
        int n = 0;
        try (Connection src = pg.connect("small_src"); Connection dst = pg.connect(Stack.WAREHOUSE)) {
            dst.setAutoCommit(false);
            try (PreparedStatement read = src.prepareStatement("select * from public.users where updated_at > ? order by updated_at");
                 PreparedStatement write = dst.prepareStatement(UPSERT)) {
                read.setTimestamp(1, cursor[0]);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        for (int i = 1; i <= 17; i++) {
                            Object v = rs.getObject(i);
                            write.setObject(i, v instanceof org.postgresql.util.PGobject o ? o.getValue() : v);
                        }
                        write.addBatch();
                        cursor[0] = rs.getTimestamp("updated_at");
                        n++;
                    }
                }
                write.executeBatch();
            }
            dst.commit();
        }
        return n;
    }

    static long count(PostgresServer pg, String db, String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sync now, then the job after {@code previousJob} once it ended, polled every 20 ms. */
    static JsonNode syncAndWait(String cs, String ss, String connection, long previousJob) throws Exception {
        return ProductBenchmark.syncAndWait(cs, ss, connection, previousJob, 20);
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
