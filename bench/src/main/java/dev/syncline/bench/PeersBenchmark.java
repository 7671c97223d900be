package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.infra.Directories;
import dev.syncline.infra.PostgresServer;
import dev.syncline.stack.Service;
import dev.syncline.stack.Stack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 23, item 3: the same {@code users} table (1,000,000 rows by default) copied between two databases of one
 * PostgreSQL server by each tool in turn, in one run: the raw pipe as two {@code psql} processes (with and without
 * building the primary key afterwards), Syncline through the whole product (sync now → job succeeded), pgcopydb and
 * pgloader (Debian's packages; bench/run installs them when missing), and Debezium's embedded engine into its JDBC sink
 * ({@code bench/debezium}, built by bench/run on its own). The server runs with {@code wal_level=logical}, which
 * Debezium needs. After each, the copy is checked against the
 * source: its row count and an order-independent checksum (the sum of a hash of every row's text). Prints each
 * tool's seconds, rows/s, ratio to the pipe and verdict.
 */
public final class PeersBenchmark {
    /** Every column, in the source's order: what the checksum hashes, whatever the tool made of the types. */
    private static final String COLUMNS = "id, created_at, updated_at, email, first_name, last_name, country, city, age, "
            + "score, balance, active, plan, signup_source, tags, preferences, notes";

    private record Result(String tool, String settings, double seconds, String verdict) { }

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 1_000_000);
        int cores = Runtime.getRuntime().availableProcessors();
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("syncline-bench-peers-");
        List<Result> results = new ArrayList<>();
        try (Stack stack = ProductBenchmark.startStack(home, dir)) {
            PostgresServer pg = stack.infrastructure().postgres();
            pg.createDatabase("bench_src");
            System.out.printf("loading %,d users rows ...%n", rows);
            long tLoad = System.nanoTime();
            ConnectorsBenchmark.loadUsers(pg, "bench_src", rows);
            System.out.printf("loaded in %.1f s%n", (System.nanoTime() - tLoad) / 1e9);
            String expected = checksum(pg, "bench_src", "public.users");
            System.out.printf("source: %s%n%n", expected);

            // the raw pipe: two psql processes, into a table made beforehand (untimed)
            pg.createDatabase("peer_pipe");
            ConnectorsBenchmark.exec(pg, "peer_pipe", "create table public.users (" + ConnectorsBenchmark.COLUMNS_DDL + ")");
            results.add(run(pg, "psql | psql", "\\copy out | \\copy in", expected, "peer_pipe", "public.users", dir,
                    psql(pg, "bench_src") + " -c '\\copy public.users to stdout' | " + psql(pg, "peer_pipe")
                            + " -c '\\copy public.users from stdin'"));
            double pipe = results.getFirst().seconds();

            pg.createDatabase("peer_pipe_key");
            ConnectorsBenchmark.exec(pg, "peer_pipe_key", "create table public.users (" + ConnectorsBenchmark.COLUMNS_DDL + ")");
            results.add(run(pg, "psql | psql + primary key", "then ALTER TABLE ADD PRIMARY KEY", expected, "peer_pipe_key",
                    "public.users", dir, psql(pg, "bench_src") + " -c '\\copy public.users to stdout' | "
                            + psql(pg, "peer_pipe_key") + " -c '\\copy public.users from stdin' && " + psql(pg, "peer_pipe_key")
                            + " -c 'alter table public.users add primary key (id)'"));

            results.add(syncline(stack, pg, rows, expected));

            // pgcopydb: its documentation's advice, as many table and index jobs as cores
            pg.createDatabase("peer_pgcopydb");
            Path filters = dir.resolve("pgcopydb-filters.ini");
            Files.writeString(filters, "[include-only-table]\npublic.users\n");
            results.add(run(pg, "pgcopydb " + version("pgcopydb --version", "pgcopydb version (\\S+)"),
                    "clone, --table-jobs " + cores + " --index-jobs " + cores, expected, "peer_pgcopydb", "public.users", dir,
                    "pgcopydb clone --source '" + uri(pg, "bench_src") + "' --target '" + uri(pg, "peer_pgcopydb")
                            + "' --table-jobs " + cores + " --index-jobs " + cores + " --filters " + filters
                            + " --no-owner --no-acl --dir " + dir.resolve("pgcopydb-work")));

            // pgloader: its defaults for a PostgreSQL source (create table, indexes, workers = 4, concurrency = 1), but
            // for prefetch rows: with its default 100,000 the Debian build's 1 GB Lisp heap is exhausted at 1,000,000
            // rows ("Heap exhausted, game over"), and its documentation's remedy is fewer rows in flight
            pg.createDatabase("peer_pgloader");
            Path load = dir.resolve("users.load");
            Files.writeString(load, "LOAD DATABASE FROM " + uri(pg, "bench_src") + " INTO " + uri(pg, "peer_pgloader")
                    + "\n WITH prefetch rows = 10000\n INCLUDING ONLY TABLE NAMES MATCHING 'users' IN SCHEMA 'public';\n");
            results.add(run(pg, "pgloader " + version("pgloader --version", "pgloader version \"([^\"]+)\""),
                    "its defaults (workers 4, concurrency 1), prefetch rows 10000", expected, "peer_pgloader", "public.users", dir,
                    "pgloader --no-ssl-cert-verification " + load));

            // Debezium: its embedded engine (snapshot only) into its JDBC sink task, in one JVM (bench/debezium)
            Path debezium = home.resolve("bench/debezium/target");
            if (Files.isDirectory(debezium.resolve("lib"))) {
                pg.createDatabase("peer_debezium");
                results.add(run(pg, "Debezium 3.5.0.Final", "embedded engine, snapshot.mode initial_only, max.batch.size "
                        + "10240, into its JDBC sink, insert.mode insert, batch.size 10240", expected, "peer_debezium",
                        "public.users", dir, Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx1g -cp '"
                                + debezium.resolve("debezium-peer-0.1.0-SNAPSHOT.jar") + ":" + debezium.resolve("lib") + "/*' "
                                + "dev.syncline.bench.debezium.DebeziumCopy 127.0.0.1 " + pg.port() + " " + PostgresServer.USER
                                + " '" + pg.password() + "' bench_src peer_debezium public.users " + rows));
            } else {
                System.out.println("Debezium: not built (bench/run peers builds bench/debezium)");
            }

            System.out.printf("%n%,d rows, one PostgreSQL server (%s), %d cores; ratio = the pipe's time / the tool's%n%n",
                    rows, serverVersion(pg), cores);
            System.out.printf("%-30s %9s %12s %7s  %-10s %s%n", "tool", "seconds", "rows/s", "ratio", "checksum", "settings");
            for (Result r : results) {
                System.out.printf("%-30s %9.2f %,12.0f %7.2f  %-10s %s%n", r.tool(), r.seconds(), rows / r.seconds(),
                        pipe / r.seconds(), r.verdict(), r.settings());
            }
            Result us = results.stream().filter(r -> r.tool().startsWith("Syncline")).findFirst().orElseThrow();
            List<String> ahead = new ArrayList<>();
            List<String> behind = new ArrayList<>();
            for (Result r : results) {
                if (r.tool().startsWith("psql") || r == us) {
                    continue;
                }
                (r.seconds() > us.seconds() || !r.verdict().equals("same") ? ahead : behind).add(r.tool());
            }
            System.out.printf("%nSyncline is ahead of: %s; behind: %s%n", ahead.isEmpty() ? "none" : String.join(", ", ahead),
                    behind.isEmpty() ? "none" : String.join(", ", behind));
            System.out.println("Apache SeaTunnel is not measured here yet (bench/README.md says why).");
        } finally {
            Directories.delete(dir);
        }
        System.exit(0);
    }

    /** Syncline through the product: full refresh | overwrite, after an untimed warm-up sync of the same rows. */
    private static Result syncline(Stack stack, PostgresServer pg, long rows, String expected) throws Exception {
        String cs = stack.url(Service.CONNECTION);
        String ss = stack.url(Service.SYNC);
        String connection = ProductBenchmark.usersConnection(stack, "Peers", "bench_src", "peers",
                "\"syncMode\":\"full_refresh\",\"destinationSyncMode\":\"overwrite\"");
        long warm = ProductBenchmark.syncAndWait(cs, ss, connection, -1).path("jobId").asLong();
        ConnectorsBenchmark.quiesce(pg);
        long t = System.nanoTime();
        JsonNode job = ProductBenchmark.syncAndWait(cs, ss, connection, warm);
        double seconds = (System.nanoTime() - t) / 1e9;
        String verdict = verdict(pg, Stack.WAREHOUSE, "peers.users", expected);
        System.out.printf("%-30s %.2f s, %s (job %d, %,d records written)%n", "Syncline", seconds, verdict,
                job.path("jobId").asLong(), job.path("recordsWritten").asLong());
        return new Result("Syncline (product)", "full refresh | overwrite, sync now → succeeded, warm JVMs", seconds, verdict);
    }

    /** Runs {@code command} with bash, timed, then checks the copy. */
    private static Result run(PostgresServer pg, String tool, String settings, String expected, String database,
                              String table, Path dir, String command) throws Exception {
        ConnectorsBenchmark.quiesce(pg);
        Path log = dir.resolve(tool.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        // stdin from /dev/null: a tool that crashes into a prompt (pgloader's Lisp debugger) ends instead of waiting
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PGPASSWORD", pg.password());
        long t = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        String verdict;
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.out.printf("%s exited with %d; its last lines:%n  %s%n", tool, p.exitValue(),
                    String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            verdict = "failed";
        } else {
            verdict = verdict(pg, database, table, expected);
        }
        System.out.printf("%-30s %.2f s, %s%n", tool, seconds, verdict);
        return new Result(tool, settings, seconds, verdict);
    }

    /** "same" when the copy has the source's count and checksum; otherwise what it has. */
    private static String verdict(PostgresServer pg, String database, String table, String expected) throws Exception {
        String actual = checksum(pg, database, table);
        return actual.equals(expected) ? "same" : "DIFFERENT (" + actual + ")";
    }

    /** The row count and an order-independent checksum: the sum of the first 60 bits of each row's md5. */
    static String checksum(PostgresServer pg, String database, String table) throws Exception {
        try (Connection c = pg.connect(database); ResultSet rs = c.createStatement().executeQuery("select count(*), "
                + "coalesce(sum(('x' || left(md5(concat_ws('|', " + COLUMNS + ")), 15))::bit(60)::bigint), 0) from " + table)) {
            rs.next();
            return rs.getLong(1) + " rows, checksum " + rs.getString(2);
        }
    }

    private static String psql(PostgresServer pg, String database) {
        return "psql -X -q -v ON_ERROR_STOP=1 '" + uri(pg, database) + "'";
    }

    private static String uri(PostgresServer pg, String database) {
        return "postgresql://" + PostgresServer.USER + ":" + java.net.URLEncoder.encode(pg.password(), StandardCharsets.UTF_8)
                + "@127.0.0.1:" + pg.port() + "/" + database;
    }

    private static String serverVersion(PostgresServer pg) throws Exception {
        try (Connection c = pg.connect("postgres"); ResultSet rs = c.createStatement().executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    /** A tool's version as it prints it, or "?". */
    private static String version(String command, String pattern) {
        try {
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(out);
            return m.find() ? m.group(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }
}
