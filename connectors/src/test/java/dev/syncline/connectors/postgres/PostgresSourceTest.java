package dev.syncline.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.SourceConformance;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.infra.FreePorts;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresSourceTest extends SourceConformance {
    String database;

    @BeforeEach
    void database() throws Exception {
        database = SharedPostgres.newDatabase("src");
        sql("""
                create table public.users (id bigint primary key, name text not null, age int,
                                           updated_at timestamptz not null);
                insert into public.users
                  select i, 'user ' || i, 20 + i % 50, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute'
                  from generate_series(1, 500) i;
                create view public.adults as select id, name from public.users where age >= 40;
                """);
    }

    void sql(String statements) throws Exception {
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement()) {
            st.execute(statements);
        }
    }

    @Override
    protected SourceConnector source() {
        return new PostgresSource(dev.syncline.connectors.reach.ConnectorReach.builder().build());
    }

    @Override
    protected ObjectNode config() {
        ObjectNode c = JSON.createObjectNode();
        c.put("host", "127.0.0.1");
        c.put("port", SharedPostgres.get().port());
        c.put("database", database);
        c.put("username", PostgresServer.USER);
        c.put("password", SharedPostgres.get().password());
        c.putArray("schemas").add("public");
        c.put("chunk_pages", 1); // several CTID ranges even for small tables
        return c;
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        bad.put(config().put("database", "nope"), "database nope does not exist");
        bad.put(config().put("port", FreePorts.pick()), "unreachable");
        ObjectNode schema = config();
        schema.putArray("schemas").add("nope");
        bad.put(schema, "schema nope does not exist");
        return bad;
    }

    @Override
    protected String incrementalStream() {
        return "users";
    }

    @Override
    protected String cursorField() {
        return "updated_at";
    }

    @Override
    protected long fullRefreshRows() {
        return 500;
    }

    @Override
    protected ObjectNode changeSource() throws Exception {
        sql("""
                update public.users set updated_at = '2025-01-01 00:00:00+00' where id = 10;
                insert into public.users values (501, 'new one', 30, '2025-01-02 00:00:00+00'),
                                                (502, 'new two', 31, '2025-01-02 00:00:00+00');
                """);
        return config();
    }

    @Override
    protected Set<Long> idsAfterChange() {
        return Set.of(500L, 10L, 501L, 502L); // 500 holds the saved cursor: inclusive
    }

    @Test
    void discoversTablesViewsPrimaryKeysAndADefaultCursor() throws Exception {
        Catalog c = source().discover(config());
        Stream users = c.stream("public", "users").orElseThrow();
        assertThat(users.sourceDefinedPrimaryKey()).containsExactly(List.of("id"));
        assertThat(users.defaultCursorField()).containsExactly("updated_at");
        assertThat(users.field("name").orElseThrow().nullable()).isFalse();
        assertThat(users.fields()).extracting(Field::type).containsExactly(FieldType.INTEGER, FieldType.STRING,
                FieldType.INTEGER, FieldType.TIMESTAMP_TZ);
        assertThat(c.stream("public", "adults")).isPresent();
    }

    @Test
    void mapsEveryCommonType() throws Exception {
        sql("""
                create type mood as enum ('sad', 'ok', 'happy');
                create table public.types (n numeric(10,2), s2 int2, s4 int4, s8 int8, f4 float4, f8 float8, b bool,
                  t text, vc varchar(10), ch char(3), d date, tm time, ts timestamp, tz timestamptz, u uuid, j json,
                  jb jsonb, ia int[], ta text[], by bytea, e mood);
                insert into public.types values (12.34, 1, 2, 3, 1.5, 2.25, true, 'text', 'varchar', 'abc',
                  '2024-02-29', '13:14:15', '2024-02-29 13:14:15', '2024-02-29 13:14:15+00',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '{1,2,3}', '{x,y}', '\\x0102', 'happy');
                """);
        Stream types = source().discover(config()).stream("public", "types").orElseThrow();
        assertThat(types.fields().stream().collect(Collectors.toMap(Field::name, f -> f.type().wireName())))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry("n", "number"), Map.entry("s2", "integer"),
                        Map.entry("s4", "integer"), Map.entry("s8", "integer"), Map.entry("f4", "number"),
                        Map.entry("f8", "number"), Map.entry("b", "boolean"), Map.entry("t", "string"),
                        Map.entry("vc", "string"), Map.entry("ch", "string"), Map.entry("d", "date"),
                        Map.entry("tm", "time"), Map.entry("ts", "timestamp"), Map.entry("tz", "timestamp_tz"),
                        Map.entry("u", "string"), Map.entry("j", "object"), Map.entry("jb", "object"),
                        Map.entry("ia", "array"), Map.entry("ta", "array"), Map.entry("by", "binary"),
                        Map.entry("e", "string")));
        Map<String, Object> row = read(config(), configured(types, SyncMode.FULL_REFRESH), Map.of()).records().getFirst();
        assertThat(row).containsEntry("n", new java.math.BigDecimal("12.34")).containsEntry("s8", 3L)
                .containsEntry("b", true).containsEntry("ch", "abc")
                .containsEntry("d", java.time.LocalDate.parse("2024-02-29"))
                .containsEntry("tm", java.time.LocalTime.parse("13:14:15"))
                .containsEntry("ts", java.time.LocalDateTime.parse("2024-02-29T13:14:15"))
                .containsEntry("tz", java.time.OffsetDateTime.parse("2024-02-29T13:14:15Z"))
                .containsEntry("u", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
                .containsEntry("jb", new dev.syncline.connectors.spi.JsonText("{\"b\": [1, 2]}")).containsEntry("ia", List.of(1, 2, 3))
                .containsEntry("ta", List.of("x", "y")).containsEntry("e", "happy");
        assertThat((byte[]) row.get("by")).containsExactly(1, 2);
    }

    @Test
    void readsSeveralStreamsAtOnceEachRowOnce() throws Exception {
        sql("create table public.events (id int primary key, kind text); "
                + "insert into public.events select i, 'k' || i from generate_series(1, 2000) i;");
        Catalog c = source().discover(config());
        List<ConfiguredStream> streams = new ArrayList<>();
        for (String name : List.of("users", "events", "adults")) {
            Stream s = c.stream("public", name).orElseThrow();
            streams.add(new ConfiguredStream(s, s.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE,
                    List.of(), s.sourceDefinedPrimaryKey(), null, s.name()));
        }
        List<Map<String, Object>> rows = read(config().put("max_parallel_streams", 3), new ConfiguredCatalog(streams), Map.of())
                .records();
        long adults;
        try (Connection conn = SharedPostgres.get().connect(database);
             var rs = conn.createStatement().executeQuery("select count(*) from public.adults")) {
            rs.next();
            adults = rs.getLong(1);
        }
        assertThat(rows).hasSize((int) (500 + 2000 + adults));
        assertThat(rows.stream().filter(r -> r.containsKey("kind")).map(r -> r.get("id")).distinct().count()).isEqualTo(2000);
    }

    /**
     * Issue 23, item 1: a table of many ranges read by several connections at once gives the rows one reader gives
     * (count and an order-independent checksum), all of one moment: rows inserted, deleted and changed after the read
     * began, in ranges not read yet, are not seen, because every reader reads in the first one's exported snapshot.
     */
    @Test
    void aTableReadBySeveralReadersAtOnceGivesTheRowsOfOneReaderInOneSnapshot() throws Exception {
        ConfiguredCatalog catalog = bigTable(60000);
        List<Map<String, Object>> serial = read(config().put("readers_per_table", 1), catalog, Map.of()).records();
        assertThat(serial).hasSize(60_000);

        List<Map<String, Object>> parallel = new ArrayList<>();
        // the readers wait until the table changed: they start after it, and must not see it
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
        ObjectNode config = config().put("readers_per_table", 3);
        try (var r = new PostgresReader(PostgresSourceConfig.of(config, dev.syncline.connectors.reach.ConnectorReach.builder().build()),
                catalog, Map.of(), () -> {
                    started.countDown(); // after the snapshot was exported
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })) {
            assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            sql("insert into public.big select i, 'late' from generate_series(60001, 61000) i; "
                    + "delete from public.big where id between 50000 and 50999; "
                    + "update public.big set v = 'changed' where id between 30000 and 30999;");
            changed.countDown();
            // three connections read the table at once, besides the one that exported the snapshot
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (readersInTransaction() < 4) {
                assertThat(System.nanoTime()).as("four connections in a transaction within 60 s: %s", activity())
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            while (r.hasNext()) {
                if (r.next() instanceof SourceMessage.RecordMessage m) {
                    parallel.add(m.data());
                }
            }
        }
        assertThat(parallel).hasSize(serial.size());
        assertThat(checksum(parallel)).isEqualTo(checksum(serial));
        assertThat(parallel.stream().map(m -> m.get("id")).distinct().count()).isEqualTo(60_000);
    }

    /**
     * Issue 23, item 1: a full refresh says after a range which one comes next (after every range with
     * {@code checkpoint_seconds} 0, never but at the end with an hour), and the rows before each such state are exactly
     * those of the ranges before it, whether one reader or several read them; a read given such a state (a retry)
     * reads only the ranges from there.
     */
    @Test
    void aFullRefreshSaysAfterEachRangeWhereItIsAndAReadFromThereSkipsTheFinishedRanges() throws Exception {
        ConfiguredCatalog catalog = bigTable(20000);
        // rows per page of the table, to know which rows lie before each range
        Map<Long, Long> before = new java.util.HashMap<>();
        try (Connection c = SharedPostgres.get().connect(database);
             var rs = c.createStatement().executeQuery("select p, sum(n) over (order by p) - n from (select "
                     + "(ctid::text::point)[0]::bigint p, count(*) n from public.big group by 1) t")) {
            while (rs.next()) {
                before.put(rs.getLong(1), rs.getLong(2));
            }
        }
        Map<Long, com.fasterxml.jackson.databind.JsonNode> stateBefore = new java.util.HashMap<>();
        for (int readers : List.of(1, 3)) {
            int states = 0;
            long records = 0;
            try (var r = source().read(config().put("readers_per_table", readers).put("checkpoint_seconds", 0), catalog,
                    Map.of())) {
                while (r.hasNext()) {
                    switch (r.next()) {
                        case SourceMessage.RecordMessage m -> records++;
                        case SourceMessage.StateMessage st when st.state().has(PostgresReader.RANGES) -> {
                            long next = st.state().path(PostgresReader.RANGES).path("next_range").asLong();
                            assertThat(st.state().path(PostgresReader.RANGES).path("chunk_pages").asLong()).isEqualTo(1);
                            assertThat(records).as("rows before range %d, %d readers", next, readers)
                                    .isEqualTo(before.getOrDefault(next, 20_000L));
                            stateBefore.put(next, st.state());
                            states++;
                        }
                        default -> { }
                    }
                }
            }
            assertThat(records).isEqualTo(20_000);
            // ranges of one page: one per page, and the open-ended one after the last (empty here)
            assertThat(states).as("one state per range but the last").isEqualTo(before.size());
        }

        // at most one checkpoint an hour: none but the last, whatever the number of readers
        for (int readers : List.of(1, 3)) {
            Read once = read(config().put("readers_per_table", readers).put("checkpoint_seconds", 3600), catalog, Map.of());
            assertThat(once.records()).hasSize(20_000);
            List<SourceMessage.StateMessage> states = new ArrayList<>();
            try (var r = source().read(config().put("readers_per_table", readers).put("checkpoint_seconds", 3600), catalog,
                    Map.of())) {
                while (r.hasNext()) {
                    if (r.next() instanceof SourceMessage.StateMessage st) {
                        states.add(st);
                    }
                }
            }
            assertThat(states).singleElement().satisfies(st -> assertThat(st.state().isEmpty()).isTrue());
        }

        // a retry from range 100: only the rows from page 100 on, once each
        com.fasterxml.jackson.databind.JsonNode from = stateBefore.get(100L);
        assertThat(source().canResume(config(), catalog.streams().getFirst(), from)).isTrue();
        for (int readers : List.of(1, 3)) {
            List<Map<String, Object>> rows = read(config().put("readers_per_table", readers).put("chunk_pages", 50), catalog,
                    Map.of("public.big", from)).records();
            assertThat(rows).hasSize((int) (20_000 - before.get(100L)));
            assertThat(rows.stream().map(m -> m.get("id")).distinct().count()).isEqualTo(rows.size());
        }
    }

    /**
     * Issue 23, item 1: a full refresh resumes only while the table's rows are where the failed attempt saw them: a
     * row inserted or updated since (it may have moved to a range read already, or still to read), or the table
     * rewritten (VACUUM FULL), and the stream starts over; a read handed such a state anyway fails, to be retried.
     */
    @Test
    void aFullRefreshResumesOnlyWhileTheTableIsAsTheFailedAttemptSawIt() throws Exception {
        sql("create table public.big (id int primary key, v text); "
                + "insert into public.big select i, md5(i::text) from generate_series(1, 5000) i;");
        Stream big = stream(config(), "big");
        ConfiguredStream stream = new ConfiguredStream(big, big.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE,
                List.of(), big.sourceDefinedPrimaryKey(), null, big.name());
        com.fasterxml.jackson.databind.JsonNode state = null;
        try (var r = source().read(config().put("checkpoint_seconds", 0), new ConfiguredCatalog(List.of(stream)), Map.of())) {
            while (r.hasNext()) {
                if (r.next() instanceof SourceMessage.StateMessage st && st.state().has(PostgresReader.RANGES) && state == null) {
                    state = st.state();
                }
            }
        }
        assertThat(state).isNotNull();
        assertThat(source().canResume(config(), stream, state)).isTrue();
        // a row deleted from a range read already stays as it was read: the rows are still where they were
        sql("delete from public.big where id = 1");
        assertThat(source().canResume(config(), stream, state)).isTrue();
        sql("update public.big set v = 'changed' where id = 4000");
        assertThat(source().canResume(config(), stream, state)).isFalse();
        com.fasterxml.jackson.databind.JsonNode changed = state;
        assertThatThrownBy(() -> read(config(), new ConfiguredCatalog(List.of(stream)), Map.of("public.big", changed)))
                .isInstanceOf(dev.syncline.connectors.spi.UncheckedConnectorException.class)
                .hasMessageContaining("changed since the failed attempt");

        sql("drop table public.big; create table public.big (id int primary key, v text); "
                + "insert into public.big select i, md5(i::text) from generate_series(1, 5000) i;");
        state = null;
        try (var r = source().read(config().put("checkpoint_seconds", 0), new ConfiguredCatalog(List.of(stream)), Map.of())) {
            while (r.hasNext()) {
                if (r.next() instanceof SourceMessage.StateMessage st && st.state().has(PostgresReader.RANGES) && state == null) {
                    state = st.state();
                }
            }
        }
        assertThat(source().canResume(config(), stream, state)).isTrue();
        sql("vacuum full public.big");
        assertThat(source().canResume(config(), stream, state)).as("the table rewritten").isFalse();
        // a state that is not a range state is never resumed
        assertThat(source().canResume(config(), stream, JSON.createObjectNode().put("cursor", "x"))).isFalse();
    }

    /** Table public.big of {@code rows} rows (id, v), and a full refresh | overwrite of it. */
    private ConfiguredCatalog bigTable(int rows) throws Exception {
        sql("create table public.big (id int primary key, v text); "
                + "insert into public.big select i, md5(i::text) from generate_series(1, " + rows + ") i;");
        Stream big = stream(config(), "big");
        return new ConfiguredCatalog(List.of(new ConfiguredStream(big, big.fields(), SyncMode.FULL_REFRESH,
                DestinationSyncMode.OVERWRITE, List.of(), big.sourceDefinedPrimaryKey(), null, big.name())));
    }

    /** The connections to the test's database in a transaction now, but this one. */
    private int readersInTransaction() throws Exception {
        try (Connection c = SharedPostgres.get().connect(database);
             var rs = c.createStatement().executeQuery("select count(*) from pg_stat_activity where datname = current_database() "
                     + "and pid <> pg_backend_pid() and xact_start is not null")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** What the database's connections are doing, for a failure's message. */
    private List<String> activity() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = SharedPostgres.get().connect(database);
             var rs = c.createStatement().executeQuery("select state, wait_event, left(query, 120) from pg_stat_activity "
                     + "where datname = current_database() and pid <> pg_backend_pid()")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2) + ": " + rs.getString(3));
            }
        }
        return out;
    }

    /** An order-independent checksum of rows: the sum of each row's hash. */
    private static long checksum(List<Map<String, Object>> rows) {
        long sum = 0;
        for (Map<String, Object> r : rows) {
            sum += new java.util.TreeMap<>(r).toString().hashCode();
        }
        return sum;
    }

    @Test
    void discoversTenThousandTables() throws Exception {
        sql("create schema many");
        for (int from = 1; from <= 10_000; from += 1000) {
            // a thousand per transaction: each table takes locks, and one transaction has room for only so many
            sql("do $$ begin for i in " + from + ".." + (from + 999) + " loop "
                    + "execute format('create table many.t%s (id int primary key, v text, updated_at timestamptz)', i); "
                    + "end loop; end $$;");
        }
        ObjectNode config = config();
        config.putArray("schemas").add("many");
        long t0 = System.nanoTime();
        Catalog c = source().discover(config);
        System.out.printf("[postgres source] discovered %d tables in %d ms%n", c.streams().size(),
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(c.streams()).hasSize(10_000);
        assertThat(c.streams()).allSatisfy(s -> assertThat(s.sourceDefinedPrimaryKey()).containsExactly(List.of("id")));
    }
}
