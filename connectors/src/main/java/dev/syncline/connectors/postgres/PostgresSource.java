package dev.syncline.connectors.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL tables, views and materialized views as streams: discovered from pg_catalog in two queries, read by
 * CTID ranges (full refresh, tables) or by a user-chosen cursor (incremental, inclusive), several streams at once.
 */
public final class PostgresSource implements SourceConnector {
    public static final String ID = "postgres";
    private static final ObjectNode SPEC = ConfigSchema.of(PostgresSourceConfig.Settings.class);
    private static final List<String> DEFAULT_CURSORS = List.of("updated_at", "modified_at", "last_modified", "updated");

    private final ConnectorReach reach;

    /** {@code reach}: never Syncline's own databases or addresses. */
    public PostgresSource(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Postgres", ConnectorKind.SOURCE, SPEC.deepCopy());
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        return PostgresConfig.refusals(config, reach);
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            PostgresSourceConfig cfg = PostgresSourceConfig.of(config, reach);
            try (Connection c = cfg.connection().connect();
                 PreparedStatement st = c.prepareStatement("select s from unnest(?::text[]) s where not exists "
                         + "(select 1 from pg_namespace where nspname = s and has_schema_privilege(current_user, oid, 'USAGE'))")) {
                st.setArray(1, c.createArrayOf("text", cfg.schemas().toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return CheckResult.failed("schema " + rs.getString(1) + " does not exist or user "
                                + cfg.connection().username() + " may not use it");
                    }
                }
                return CheckResult.ok();
            } catch (SQLException e) {
                return CheckResult.failed(cfg.connection().describe(e));
            }
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(JsonNode config) throws ConnectorException {
        PostgresSourceConfig cfg = PostgresSourceConfig.of(config, reach);
        try (Connection c = cfg.connection().connect()) {
            return discover(c, cfg.schemas());
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, cfg.connection().describe(e), e);
        }
    }

    /** Two queries whatever the number of tables: columns of every relation, then every primary key. */
    static Catalog discover(Connection c, List<String> schemas) throws SQLException {
        Map<String, List<Field>> fields = new LinkedHashMap<>();
        Map<String, String[]> names = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("""
                select n.nspname, c.relname, a.attname, a.attnotnull,
                       coalesce(bt.typname, t.typname), coalesce(bt.typcategory, t.typcategory)::text,
                       coalesce(bt.typtype, t.typtype)::text
                from pg_class c
                join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                join pg_type t on t.oid = a.atttypid
                left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
                where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname = any (?)
                  and not c.relispartition and has_table_privilege(c.oid, 'SELECT')
                order by n.nspname, c.relname, a.attnum""")) {
            st.setArray(1, c.createArrayOf("text", schemas.toArray()));
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1) + "." + rs.getString(2);
                    names.putIfAbsent(key, new String[] {rs.getString(1), rs.getString(2)});
                    fields.computeIfAbsent(key, k -> new ArrayList<>()).add(new Field(rs.getString(3),
                            PgTypes.of(rs.getString(5), rs.getString(6), rs.getString(7)), !rs.getBoolean(4), List.of()));
                }
            }
        }
        Map<String, List<String>> keys = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("""
                select n.nspname, c.relname, a.attname
                from pg_index i
                join pg_class c on c.oid = i.indrelid
                join pg_namespace n on n.oid = c.relnamespace
                join lateral unnest(i.indkey) with ordinality k(attnum, ord) on true
                join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                where i.indisprimary and n.nspname = any (?)
                order by n.nspname, c.relname, k.ord""")) {
            st.setArray(1, c.createArrayOf("text", schemas.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        List<Stream> streams = new ArrayList<>(fields.size());
        fields.forEach((key, fs) -> {
            String[] n = names.get(key);
            List<List<String>> pk = keys.getOrDefault(key, List.of()).stream().map(List::of).toList();
            List<String> cursor = DEFAULT_CURSORS.stream().filter(dc -> fs.stream().anyMatch(f -> f.name().equals(dc)))
                    .findFirst().map(List::of).orElse(List.of());
            streams.add(new Stream(n[0], n[1], fs, Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), false, cursor, pk));
        });
        return new Catalog(streams);
    }

    @Override
    public MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        return new PostgresReader(PostgresSourceConfig.of(config, reach), catalog, state);
    }

    /** A full refresh of a table checkpoints after its CTID ranges ({@code checkpoint_seconds}). */
    @Override
    public boolean resumesFullRefresh() {
        return true;
    }

    /** A table whose rows are still where the failed attempt saw them ({@link PostgresReader#unchangedSince}). */
    @Override
    public boolean canResume(JsonNode config, dev.syncline.connectors.spi.ConfiguredStream stream, JsonNode state)
            throws ConnectorException {
        JsonNode ranges = state == null ? null : state.path(PostgresReader.RANGES);
        if (!PostgresReader.resumable(ranges)) {
            return false;
        }
        PostgresSourceConfig cfg = PostgresSourceConfig.of(config, reach);
        try (Connection c = cfg.connection().connect()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            boolean unchanged = PostgresReader.unchangedSince(c, dev.syncline.connectors.sql.SqlIdentifiers.qualified(
                    stream.stream().namespace(), stream.stream().name()), ranges);
            c.rollback();
            return unchanged;
        } catch (SQLException e) {
            throw new ConnectorException(dev.syncline.connectors.sql.SqlStates.isTransient(e)
                    ? ConnectorException.Type.TRANSIENT : ConnectorException.Type.SYSTEM, cfg.connection().describe(e), e);
        }
    }

    /** A column's value as a JSON-like Java value. */
    static Object value(ResultSet rs, int i, Field f) throws SQLException {
        return switch (f.type()) {
            case INTEGER -> {
                long v = rs.getLong(i);
                yield rs.wasNull() ? null : v;
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(i);
                yield rs.wasNull() ? null : v;
            }
            case NUMBER -> rs.getString(i) == null ? null : number(rs.getString(i));
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> temporal(rs, i, f);
            case ARRAY -> {
                Array a = rs.getArray(i);
                if (a == null) {
                    yield null;
                }
                Object[] items = (Object[]) a.getArray();
                List<Object> list = new ArrayList<>(items.length);
                for (Object o : items) {
                    list.add(o instanceof Number || o instanceof Boolean || o == null ? o : o.toString());
                }
                yield list;
            }
            case BINARY -> rs.getBytes(i);
            case OBJECT -> {
                String json = rs.getString(i);
                yield json == null ? null : new dev.syncline.connectors.spi.JsonText(json); // valid already: not parsed again
            }
            default -> rs.getString(i);
        };
    }

    private static Object number(String s) {
        try {
            return new java.math.BigDecimal(s);
        } catch (NumberFormatException e) {
            return s; // NaN, Infinity: the destination decides
        }
    }

    private static Object temporal(ResultSet rs, int i, Field f) throws SQLException {
        try {
            Object v = switch (f.type()) {
                case DATE -> rs.getObject(i, java.time.LocalDate.class);
                case TIME -> rs.getObject(i, java.time.LocalTime.class);
                case TIMESTAMP -> rs.getObject(i, java.time.LocalDateTime.class);
                default -> rs.getObject(i, java.time.OffsetDateTime.class);
            };
            return v; // java.time values: destinations format them without parsing text again
        } catch (SQLException | RuntimeException e) {
            return rs.getString(i); // infinity, or a time with zone: kept as PostgreSQL prints it
        }
    }

}
