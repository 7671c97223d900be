package dev.syncline.connectors.postgrestable;

import dev.syncline.connectors.postgres.PostgresConfig;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.KeyLookup;
import dev.syncline.connectors.sql.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which matching keys a table holds, for a dry run: the keys go in as a VALUES list cast to the key columns' types (the
 * database compares as it would when writing, each value bound as the writer binds it), and the indexes of those
 * present come back. Read-only transactions, each statement at most 60 s.
 */
final class PostgresTableKeys implements KeyLookup {
    private final Connection connection;
    private final String table;
    private final List<String> key;
    private final Map<String, String> types;
    private final List<List<String>> uniqueKeys;
    private final Map<String, dev.syncline.connectors.spi.FieldType> fieldTypes = new HashMap<>();

    private PostgresTableKeys(Connection connection, String table, List<String> key, Map<String, String> types,
                              List<List<String>> uniqueKeys) {
        this.connection = connection;
        this.table = table;
        this.key = key;
        this.types = types;
        this.uniqueKeys = uniqueKeys;
    }

    static PostgresTableKeys open(PostgresConfig config, ConfiguredStream s) throws ConnectorException {
        String schema = s.destinationNamespace() != null ? s.destinationNamespace() : config.schema();
        Connection c = config.connect();
        try {
            // one read-only transaction, each statement bounded: a dry run never writes nor holds the table for long
            try (var set = c.createStatement()) {
                set.execute("set statement_timeout = '60s'"); // for the session: before the transaction, kept past a rollback
            }
            c.setAutoCommit(false);
            c.setReadOnly(true);
            Map<String, String> types = PostgresTableWriter.columnTypes(c, schema, s.destinationName());
            for (String k : s.matchingKey()) {
                if (!types.containsKey(k)) {
                    throw new ConnectorException(ConnectorException.Type.CONFIG, "table " + schema + "." + s.destinationName()
                            + " has no column " + k + " to match records by");
                }
            }
            List<List<String>> unique = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("""
                    select array_agg(a.attname::text order by k.ord)
                    from pg_index i
                    join pg_class t on t.oid = i.indrelid
                    join pg_namespace n on n.oid = t.relnamespace
                    join lateral unnest(i.indkey) with ordinality k(attnum, ord) on true
                    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                    where n.nspname = ? and t.relname = ? and i.indisunique and i.indpred is null and i.indexprs is null
                      and k.ord <= i.indnkeyatts
                    group by i.indexrelid order by i.indexrelid""")) {
                st.setString(1, schema);
                st.setString(2, s.destinationName());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        List<String> u = List.of((String[]) rs.getArray(1).getArray());
                        if (!u.equals(s.matchingKey())) {
                            unique.add(u);
                        }
                    }
                }
            }
            // a char(n) or bit(n) column's type without its length would cut the value: compare as its unbounded kin
            types.replaceAll((k, t) -> t.equals("character") ? "bpchar" : t.equals("bit") ? "varbit" : t);
            PostgresTableKeys keys = new PostgresTableKeys(c, SqlIdentifiers.qualified(schema, s.destinationName()),
                    s.matchingKey(), types, List.copyOf(unique));
            s.fields().forEach(f -> keys.fieldTypes.put(f.name(), f.type()));
            return keys;
        } catch (SQLException e) {
            close(c);
            throw new ConnectorException(ConnectorException.Type.SYSTEM, config.describe(e), e);
        } catch (ConnectorException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    @Override
    public List<List<String>> uniqueKeys() {
        return uniqueKeys;
    }

    @Override
    public Set<Integer> taken(List<String> uniqueKey, List<List<Object>> uniqueValues, List<List<Object>> matchingValues)
            throws ConnectorException {
        List<List<Object>> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>(uniqueKey);
        columns.addAll(key);
        for (int i = 0; i < uniqueValues.size(); i++) {
            List<Object> row = new ArrayList<>(uniqueValues.get(i));
            row.addAll(matchingValues.get(i).isEmpty() ? java.util.Collections.nCopies(key.size(), (Object) null) : matchingValues.get(i));
            rows.add(row);
        }
        List<String> same = new ArrayList<>();
        for (int j = 0; j < uniqueKey.size(); j++) {
            same.add("t." + SqlIdentifiers.quote(uniqueKey.get(j)) + " = v.c" + j);
        }
        List<String> self = new ArrayList<>();
        for (int j = 0; j < key.size(); j++) {
            self.add("t." + SqlIdentifiers.quote(key.get(j)) + " = v.c" + (uniqueKey.size() + j));
        }
        // another row holds the value: one the record's matching key does not match (for insert, any row)
        String where = String.join(" and ", same) + (self.isEmpty() ? "" : " and (" + String.join(" and ", self) + ") is not true");
        return indexes(columns, rows, where);
    }

    @Override
    public Set<Integer> existing(List<List<Object>> keys) throws ConnectorException {
        if (key.isEmpty()) {
            return new HashSet<>();
        }
        List<String> match = new ArrayList<>();
        for (int j = 0; j < key.size(); j++) {
            match.add("t." + SqlIdentifiers.quote(key.get(j)) + " = v.c" + j);
        }
        return indexes(key, keys, String.join(" and ", match));
    }

    /** The indexes of {@code rows} (values of {@code columns}, as v.c0, v.c1, …) for which a row t of the table matches. */
    private Set<Integer> indexes(List<String> columns, List<List<Object>> keys, String where) throws ConnectorException {
        Set<Integer> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<String> cells = new ArrayList<>();
            cells.add("?::int");
            for (String k : columns) {
                cells.add("CAST(? AS " + types.get(k) + ")");
            }
            rows.add("(" + String.join(", ", cells) + ")");
        }
        List<String> names = new ArrayList<>();
        names.add("i");
        for (int j = 0; j < columns.size(); j++) {
            names.add("c" + j);
        }
        String sql = "select v.i from (values " + String.join(", ", rows) + ") as v(" + String.join(", ", names)
                + ") where exists (select 1 from " + table + " t where " + where + ")";
        try {
            return query(sql, columns, keys, found);
        } catch (SQLException e) {
            rollback();
            if (e.getSQLState() == null || !e.getSQLState().startsWith("22") || keys.size() == 1) {
                if (keys.size() == 1 && e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                    return found; // a value the column cannot hold: the sync's write refuses it; not held here
                }
                throw new ConnectorException(ConnectorException.Type.SYSTEM, "looking up " + key + " in " + table + ": "
                        + e.getMessage(), e);
            }
            // one value the column cannot hold fails the whole list: ask row by row
            for (int i = 0; i < keys.size(); i++) {
                if (!indexes(columns, List.of(keys.get(i)), where).isEmpty()) {
                    found.add(i);
                }
            }
            return found;
        }
    }

    private Set<Integer> query(String sql, List<String> columns, List<List<Object>> keys, Set<Integer> found) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            int p = 1;
            for (int i = 0; i < keys.size(); i++) {
                st.setString(p++, String.valueOf(i));
                List<Object> row = keys.get(i);
                for (int j = 0; j < row.size(); j++) {
                    Object v = row.get(j);
                    var type = fieldTypes.get(columns.get(j));
                    // as the writer binds it: the value's canonical text for its type
                    dev.syncline.connectors.sql.SqlValues.Converted c = type == null || v == null ? null
                            : dev.syncline.connectors.sql.SqlValues.convert(v, type);
                    st.setString(p++, v == null ? null : c != null && c.text() != null ? c.text() : v.toString());
                }
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getInt(1));
                }
            }
            return found;
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the next statement says if the connection is gone
        }
    }

    @Override
    public void close() {
        close(connection);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing: nothing was written
        }
    }
}
