package dev.syncline.bench;

import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 23, item 2: ways to merge a staging batch into a deduplicated table, measured side by side on one PostgreSQL,
 * each from the same starting table, each checked to end with the same rows (count and an order-independent checksum):
 * <ol>
 *   <li>what the postgres destination does today: {@code DISTINCT ON} the latest row per key, then
 *       {@code INSERT … ON CONFLICT DO UPDATE … WHERE} the incoming cursor is newer;</li>
 *   <li>the same without the cursor guard;</li>
 *   <li>{@code MERGE} (PostgreSQL 15+) from the same latest rows, with the guard;</li>
 *   <li>delete the keys present in the batch, then insert the latest rows (no guard: the batch always wins).</li>
 * </ol>
 * Two batches: a re-sync of every row (all updates, as {@code bench/run connectors}' (c)), and 10% of the table's size
 * with half updates and half new keys, each with 5% of its keys twice (the later one must win).
 */
public final class MergeBenchmark {
    static final String COLUMNS = "id, created_at, updated_at, email, first_name, last_name, country, city, age, score, "
            + "balance, active, plan, signup_source, tags, preferences, notes";
    static final String SET = """
            created_at = excluded.created_at, updated_at = excluded.updated_at, email = excluded.email,
            first_name = excluded.first_name, last_name = excluded.last_name, country = excluded.country, city = excluded.city,
            age = excluded.age, score = excluded.score, balance = excluded.balance, active = excluded.active, plan = excluded.plan,
            signup_source = excluded.signup_source, tags = excluded.tags, preferences = excluded.preferences, notes = excluded.notes""";
    static final String LATEST = "(select distinct on (id) * from stage order by id, updated_at desc nulls last, seq desc)";

    public static void main(String[] args) throws Exception {
        long rows = Long.getLong("rows", 1_000_000);
        PostgresServer pg = SharedPostgres.get();
        String db = SharedPostgres.newDatabase("bench_merge");
        System.out.printf("PostgreSQL on 127.0.0.1:%d; loading %,d users rows ...%n", pg.port(), rows);
        ConnectorsBenchmark.loadUsers(pg, db, rows);
        int version;
        try (Connection c = pg.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select current_setting('server_version'), current_setting('server_version_num')::int")) {
            rs.next();
            System.out.println("PostgreSQL " + rs.getString(1));
            version = rs.getInt(2);
        }

        Map<String, String> strategies = new LinkedHashMap<>();
        strategies.put("(1) DISTINCT ON + INSERT ON CONFLICT, cursor guard (today)", "insert into target (" + COLUMNS + ") select "
                + COLUMNS + " from " + LATEST + " l on conflict (id) do update set " + SET
                + " where excluded.updated_at >= target.updated_at");
        strategies.put("(2) DISTINCT ON + INSERT ON CONFLICT, no guard", "insert into target (" + COLUMNS + ") select " + COLUMNS
                + " from " + LATEST + " l on conflict (id) do update set " + SET);
        if (version < 150000) {
            System.out.println("(3) MERGE: not measured, this PostgreSQL has none (MERGE came with 15)");
        } else {
            strategies.put("(3) MERGE from DISTINCT ON, cursor guard", "merge into target t using " + LATEST + " l on t.id = l.id "
                    + "when matched and l.updated_at >= t.updated_at then update set " + SET.replace("excluded.", "l.")
                    + " when not matched then insert (" + COLUMNS + ") values (" + ("l." + COLUMNS.replace(", ", ", l.")) + ")");
        }
        strategies.put("(4) DELETE the batch's keys, then INSERT", "delete from target t using stage s where t.id = s.id; "
                + "insert into target (" + COLUMNS + ") select " + COLUMNS + " from " + LATEST + " l");
        strategies.put("(5) UPDATE ... FROM, then INSERT the new keys", "update target t set " + SET.replace("excluded.", "l.")
                + " from " + LATEST + " l where t.id = l.id and l.updated_at >= t.updated_at; "
                + "insert into target (" + COLUMNS + ") select " + COLUMNS + " from " + LATEST + " l "
                + "where not exists (select 1 from target t where t.id = l.id)");

        batch(pg, db, rows, "re-sync of every row (all updates)", rows, 1.0, 0.0, strategies);
        batch(pg, db, rows, "10% of the table: half updates, half new keys, 5% of keys twice", rows / 10, 0.5, 0.05, strategies);
        System.exit(0);
    }

    /**
     * A staging batch of {@code size} rows ({@code updates} of them existing keys, the rest new; {@code twice} of them a
     * second, later version of a key), merged by each strategy into a fresh copy of the table, timed; the results checked
     * equal to the first strategy's.
     */
    static void batch(PostgresServer pg, String db, long rows, String what, long size, double updates, double twice,
                      Map<String, String> strategies) throws Exception {
        long existing = (long) (size * updates);
        long dupes = (long) (size * twice);
        ConnectorsBenchmark.exec(pg, db, "drop table if exists stage");
        ConnectorsBenchmark.exec(pg, db, "create unlogged table stage (" + ConnectorsBenchmark.COLUMNS_DDL + ", seq bigint)");
        // updates: existing keys, a later updated_at; new keys above the table's; then second versions of some keys
        ConnectorsBenchmark.exec(pg, db, "insert into stage select " + COLUMNS.replace("updated_at", "updated_at + interval '1 day'")
                .replace("city", "'Moved' as city") + ", row_number() over () from public.users where id <= " + existing);
        ConnectorsBenchmark.exec(pg, db, "insert into stage select id + " + rows + ", " + COLUMNS.substring(4)
                .replace("updated_at", "updated_at + interval '1 day'") + ", " + existing + " + row_number() over () "
                + "from public.users where id <= " + (size - existing));
        ConnectorsBenchmark.exec(pg, db, "insert into stage select " + COLUMNS.replace("updated_at", "updated_at + interval '2 days'")
                .replace("city", "'Moved twice' as city") + ", " + size + " + row_number() over () from stage where seq <= " + dupes);
        ConnectorsBenchmark.exec(pg, db, "vacuum analyze stage");
        System.out.printf("%n%s: %,d staged rows into %,d%n", what, size + dupes, rows);
        String expected = null;
        for (var s : strategies.entrySet()) {
            ConnectorsBenchmark.exec(pg, db, "drop table if exists target");
            ConnectorsBenchmark.exec(pg, db, "create table target (" + ConnectorsBenchmark.COLUMNS_DDL + ", primary key (id))");
            ConnectorsBenchmark.exec(pg, db, "insert into target select * from public.users");
            ConnectorsBenchmark.exec(pg, db, "vacuum analyze target");
            ConnectorsBenchmark.quiesce(pg);
            double seconds = ConnectorsBenchmark.timed(() -> {
                try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    for (String sql : s.getValue().split("; ")) {
                        st.execute(sql);
                    }
                    c.commit();
                }
            });
            String result = result(pg, db);
            ConnectorsBenchmark.report(s.getKey(), size + dupes, seconds);
            if (expected == null) {
                expected = result;
                System.out.println("    result: " + result);
            } else if (!expected.equals(result)) {
                System.out.println("    DIFFERENT result: " + result + " (expected " + expected + ")");
            }
        }
    }

    /** The table's row count and an order-independent checksum of its rows. */
    static String result(PostgresServer pg, String db) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), sum(hashtext(t::text)::bigint) from target t")) {
            rs.next();
            return rs.getLong(1) + " rows, checksum " + rs.getLong(2);
        }
    }
}
