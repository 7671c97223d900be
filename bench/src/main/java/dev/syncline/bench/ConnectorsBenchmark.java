package dev.syncline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.postgres.PostgresDestination;
import dev.syncline.connectors.postgres.PostgresSource;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.postgresql.PGConnection;

/**
 * PostgreSQL → PostgreSQL on one server, same run: (a) the raw COPY pipe between two databases, (b) Syncline's
 * full refresh | overwrite through the connectors, (c) incremental | append + deduped re-sync of the same rows
 * against its own baseline (COPY into a staging table + INSERT … ON CONFLICT). Prints rows/s, the ratios, and where
 * (b)'s time goes (a JFR CPU sample profile).
 */
public final class ConnectorsBenchmark {
    /** The benchmark's own PostgreSQL, no Syncline stack: nothing is the platform's. */
    private static final dev.syncline.connectors.reach.ConnectorReach REACH = dev.syncline.connectors.reach.ConnectorReach.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String COLUMNS_DDL = """
            id bigint, created_at timestamptz, updated_at timestamptz, email text, first_name text, last_name text,
            country text, city text, age int, score numeric(10,2), balance numeric(12,2), active boolean, plan text,
            signup_source text, tags jsonb, preferences jsonb, notes text""";

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 1_000_000);
        PostgresServer pg = SharedPostgres.get();
        String src = SharedPostgres.newDatabase("bench_src");
        String dst = SharedPostgres.newDatabase("bench_dst");
        System.out.printf("PostgreSQL on 127.0.0.1:%d; loading %,d users rows into %s ...%n", pg.port(), rows, src);
        long t0 = System.nanoTime();
        loadUsers(pg, src, rows);
        System.out.printf("loaded in %.1f s%n%n", (System.nanoTime() - t0) / 1e9);

        // (a) the raw COPY pipe
        exec(pg, dst, "create table public.copy_a (" + COLUMNS_DDL + ")");
        quiesce(pg);
        double a = timed(() -> copyPipe(pg, src, "COPY public.users TO STDOUT", dst, "COPY public.copy_a FROM STDIN"));
        report("(a) COPY TO STDOUT | COPY FROM STDIN", rows, a);

        // (b) Syncline full refresh | overwrite, profiled
        ObjectNode source = sourceConfig(pg, src);
        Stream users = new PostgresSource(REACH).discover(source).stream("public", "users").orElseThrow();
        Path jfr = Files.createTempFile("syncline-bench-", ".jfr");
        quiesce(pg);
        double b;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        try (Recording rec = new Recording()) {
            rec.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
            rec.start();
            b = timed(() -> sync(source.deepCopy().put("readers_per_table", 2), destinationConfig(pg, dst, "bench_b")
                    .put("parallel_loads", 2), users, SyncMode.FULL_REFRESH,
                    DestinationSyncMode.OVERWRITE, rows));
            rec.stop();
            rec.dump(jfr);
        }
        double jvmCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        report("(b) Syncline full refresh | overwrite, 2 readers, 2 loads", rows, b);
        // (b1) the same with one reader and one load at a time: what reading and loading a table in parallel brings
        quiesce(pg);
        double b1 = timed(() -> sync(source.deepCopy().put("readers_per_table", 1),
                destinationConfig(pg, dst, "bench_b1").put("parallel_loads", 1), users, SyncMode.FULL_REFRESH,
                DestinationSyncMode.OVERWRITE, rows));
        report("(b1) the same, one reader and one load at a time", rows, b1);

        // (c) append + dedup re-sync of the same rows, against COPY into staging + INSERT ... ON CONFLICT
        ObjectNode dedupDestination = destinationConfig(pg, dst, "bench_c");
        sync(source, dedupDestination, users, SyncMode.INCREMENTAL, DestinationSyncMode.APPEND_DEDUP, rows); // first load, untimed
        quiesce(pg);
        double c = timed(() -> sync(source, dedupDestination, users, SyncMode.INCREMENTAL, DestinationSyncMode.APPEND_DEDUP, rows));
        report("(c) Syncline incremental | append + deduped re-sync", rows, c);
        exec(pg, dst, "create table public.upsert_target (" + COLUMNS_DDL + ", primary key (id))");
        copyPipe(pg, src, "COPY public.users TO STDOUT", dst, "COPY public.upsert_target FROM STDIN");
        exec(pg, dst, "create unlogged table public.upsert_stage (" + COLUMNS_DDL + ")");
        quiesce(pg);
        double cBase = timed(() -> {
            copyPipe(pg, src, "COPY public.users TO STDOUT", dst, "COPY public.upsert_stage FROM STDIN");
            exec(pg, dst, """
                    insert into public.upsert_target select * from public.upsert_stage
                    on conflict (id) do update set created_at = excluded.created_at, updated_at = excluded.updated_at,
                      email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
                      country = excluded.country, city = excluded.city, age = excluded.age, score = excluded.score,
                      balance = excluded.balance, active = excluded.active, plan = excluded.plan,
                      signup_source = excluded.signup_source, tags = excluded.tags, preferences = excluded.preferences,
                      notes = excluded.notes""");
        });
        report("(c0) COPY into staging + INSERT ... ON CONFLICT", rows, cBase);

        System.out.printf("%nratios: (b)/(a) = %.2f (goal >= 0.7), (b1)/(a) = %.2f, (c)/(c0) = %.2f (goal >= 0.5)%n", a / b,
                a / b1, cBase / c);
        System.out.printf("(b): readers_per_table 2 and parallel_loads 2; (b1): 1 and 1, the defaults on a machine of "
                + "fewer than 4 cores (this one has %d)%n", Runtime.getRuntime().availableProcessors());
        System.out.printf("%nwhere (b)'s time goes: the JVM used %.2f s of CPU in %.2f s (%.0f%% of one core, %d cores);"
                + " the rest is PostgreSQL reading and writing%n", jvmCpu, b, 100 * jvmCpu / b,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("JFR CPU samples of the JVM, top frames:%n");
        profile(jfr);
        Files.deleteIfExists(jfr);
        System.exit(0);
    }

    /** The benchmark's source table: {@code rows} users of 17 columns of the usual types. */
    static void loadUsers(PostgresServer pg, String src, long rows) throws Exception {
        exec(pg, src, "create table public.users (" + COLUMNS_DDL + ", primary key (id))");
        exec(pg, src, """
                insert into public.users
                select i, ts, ts + (i % 1000) * interval '1 second', 'user' || i || '@example.com',
                       (array['Ada','Alan','Grace','Linus','Barbara','Dennis','Margaret','Ken'])[1 + i % 8],
                       (array['Lovelace','Turing','Hopper','Torvalds','Liskov','Ritchie'])[1 + i % 6],
                       (array['FR','DE','US','GB','IN','BR','JP','NG'])[1 + i % 8], 'City ' || (i % 500),
                       18 + i % 60, (i % 10000) / 100.0, (i % 1000000) / 100.0, i % 5 <> 0,
                       (array['free','pro','team'])[1 + i % 3], (array['web','ios','android','partner'])[1 + i % 4],
                       jsonb_build_array('t' || (i % 10), 't' || (i % 7)),
                       jsonb_build_object('theme', (array['dark','light'])[1 + i % 2], 'emails', i % 3 = 0),
                       repeat('note ', 1 + i % 8)
                from generate_series(1, ROWS) i, lateral (select timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' ts) t
                """.replace("ROWS", Long.toString(rows)));
        exec(pg, src, "vacuum analyze public.users");
    }

    /**
     * Waits until PostgreSQL's background work on earlier loads is over (autovacuum of the tables just written, the
     * checkpoint of their WAL), so that a timed run is not sharing the two cores with it. Prints how long it waited.
     */
    static void quiesce(PostgresServer pg) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            int quiet = 0;
            while (quiet < 5 && System.nanoTime() - t0 < 120_000_000_000L) {
                try (var rs = st.executeQuery("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'")) {
                    rs.next();
                    quiet = rs.getInt(1) == 0 ? quiet + 1 : 0;
                }
                Thread.sleep(200);
            }
            st.execute("checkpoint");
        }
        System.out.printf("(waited %.1f s for autovacuum and a checkpoint)%n", (System.nanoTime() - t0) / 1e9);
    }

    interface Work {
        void run() throws Exception;
    }

    static double timed(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static void report(String what, long rows, double seconds) {
        System.out.printf("%-52s %8.2f s  %,12.0f rows/s%n", what, seconds, rows / seconds);
    }

    static void exec(PostgresServer pg, String db, String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** One COPY out of a database piped into a COPY into another, as psql | psql would, without the processes. */
    static void copyPipe(PostgresServer pg, String fromDb, String out, String toDb, String in) throws Exception {
        PipedOutputStream pipeOut = new PipedOutputStream();
        PipedInputStream pipeIn = new PipedInputStream(pipeOut, 1 << 20);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = pg.connect(fromDb); pipeOut) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut(out, pipeOut);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection c = pg.connect(toDb); InputStream is = pipeIn) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(in, is);
        }
        writer.join();
    }

    static ObjectNode sourceConfig(PostgresServer pg, String db) {
        ObjectNode c = JSON.createObjectNode().put("host", "127.0.0.1").put("port", pg.port()).put("database", db)
                .put("username", PostgresServer.USER).put("password", pg.password());
        c.putArray("schemas").add("public");
        return c;
    }

    static ObjectNode destinationConfig(PostgresServer pg, String db, String schema) {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("port", pg.port()).put("database", db)
                .put("username", PostgresServer.USER).put("password", pg.password()).put("schema", schema);
    }

    /** What sync-service's data plane does, on this thread: read, write, checkpoint, complete. */
    static void sync(ObjectNode sourceConfig, ObjectNode destinationConfig, Stream s, SyncMode mode,
                     DestinationSyncMode destinationMode, long expected) throws Exception {
        ConfiguredCatalog catalog = new ConfiguredCatalog(List.of(new ConfiguredStream(s, s.fields(), mode, destinationMode,
                List.of("updated_at"), List.of(List.of("id")), null, "users")));
        AtomicLong rejected = new AtomicLong();
        WriteListener listener = new WriteListener() {
            @Override
            public void rejected(Rejection r) {
                rejected.incrementAndGet();
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        };
        long read = 0;
        try (MessageReader reader = new PostgresSource(REACH).read(sourceConfig, catalog, Map.of());
             RecordWriter writer = new PostgresDestination(REACH).open(destinationConfig, catalog, listener)) {
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case SourceMessage.RecordMessage r -> {
                        writer.write(r);
                        read++;
                    }
                    case SourceMessage.StateMessage st -> writer.checkpoint(st);
                    case SourceMessage.LogMessage l -> { }
                    case SourceMessage.RejectedRecord x -> read++; // the postgres source rejects none
                }
            }
            writer.complete();
        }
        if (read != expected || rejected.get() != 0) {
            throw new IllegalStateException("read " + read + " rows, rejected " + rejected.get() + "; expected " + expected);
        }
    }

    /** Top frames of the CPU samples, by share of samples. */
    static void profile(Path jfr) throws Exception {
        Map<String, Long> byMethod = new HashMap<>();
        long total = 0;
        for (var e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            RecordedFrame top = st.getFrames().getFirst();
            byMethod.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1L, Long::sum);
            total++;
        }
        long all = total;
        byMethod.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.printf("  (%d samples)%n", total);
    }
}
