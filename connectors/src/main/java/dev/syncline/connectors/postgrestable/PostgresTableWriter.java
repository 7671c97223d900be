package dev.syncline.connectors.postgrestable;

import dev.syncline.connectors.postgres.PostgresConfig;
import dev.syncline.connectors.spi.BufferedWriter;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlStates;
import dev.syncline.connectors.sql.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes mapped records into existing tables by the chosen insertion method, in batches. A batch the table refuses
 * is split in halves until each refused row is alone: that row becomes a {@link Rejection} with the constraint's
 * message, every other row is written.
 */
final class PostgresTableWriter extends BufferedWriter<PostgresTableWriter.Target> {
    private static final int BATCH = 1_000;

    /** One object being written: its statement and the fields it binds. */
    static final class Target extends BufferedWriter.Buffer {
        final String sql;
        final List<Field> columns;
        final List<String> key;

        Target(ConfiguredStream stream, String sql, List<Field> columns, List<String> key) {
            super(stream, BATCH, Long.MAX_VALUE);
            this.sql = sql;
            this.columns = columns;
            this.key = key;
        }
    }

    private final PostgresConfig config;
    private final Connection connection;

    private PostgresTableWriter(PostgresConfig config, Connection connection, WriteListener listener) {
        super(listener);
        this.config = config;
        this.connection = connection;
    }

    static PostgresTableWriter open(PostgresConfig config, String softDeleteColumn, ConfiguredCatalog catalog,
                                    WriteListener listener) throws ConnectorException {
        Connection c = config.connect();
        try {
            c.setAutoCommit(false);
            PostgresTableWriter w = new PostgresTableWriter(config, c, listener);
            for (ConfiguredStream s : catalog.streams()) {
                w.prepare(s, softDeleteColumn);
            }
            return w;
        } catch (SQLException e) {
            close(c);
            throw new ConnectorException(ConnectorException.Type.SYSTEM, config.describe(e), e);
        } catch (ConnectorException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    private void prepare(ConfiguredStream s, String softDeleteColumn) throws SQLException, ConnectorException {
        String schema = s.destinationNamespace() != null ? s.destinationNamespace() : config.schema();
        String object = s.destinationName();
        Map<String, String> types = columnTypes(schema, object);
        if (types.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "table " + schema + "." + object + " does not exist");
        }
        InsertionMethod method = s.insertionMethod() == null ? InsertionMethod.INSERT : s.insertionMethod();
        List<Field> cols = s.fields().stream().filter(f -> types.containsKey(f.name())).toList();
        String table = SqlIdentifiers.qualified(schema, object);
        List<String> key = s.matchingKey();
        if (method.needsMatchingKey() && key.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, method.wireName() + " into " + object
                    + " needs a matching key");
        }
        String sql = switch (method) {
            case INSERT -> insert(table, cols, types);
            case UPSERT -> insert(table, cols, types) + " ON CONFLICT (" + quoted(key) + ") DO UPDATE SET "
                    + String.join(", ", cols.stream().filter(f -> !key.contains(f.name()))
                    .map(f -> SqlIdentifiers.quote(f.name()) + " = EXCLUDED." + SqlIdentifiers.quote(f.name())).toList());
            case UPDATE -> "UPDATE " + table + " SET " + String.join(", ", cols.stream().filter(f -> !key.contains(f.name()))
                    .map(f -> SqlIdentifiers.quote(f.name()) + " = " + param(types, f.name())).toList())
                    + " WHERE " + keyMatch(key, types);
            case SOFT_DELETE -> {
                String type = types.get(softDeleteColumn);
                if (type == null) {
                    throw new ConnectorException(ConnectorException.Type.CONFIG, "table " + object + " has no column "
                            + softDeleteColumn + " to soft-delete with");
                }
                yield "UPDATE " + table + " SET " + SqlIdentifiers.quote(softDeleteColumn) + " = "
                        + (type.equals("boolean") ? "true" : "now()") + " WHERE " + keyMatch(key, types);
            }
        };
        List<Field> bound = switch (method) {
            case INSERT, UPSERT -> cols;
            case UPDATE -> {
                List<Field> b = new ArrayList<>(cols.stream().filter(f -> !key.contains(f.name())).toList());
                key.forEach(k -> cols.stream().filter(f -> f.name().equals(k)).findFirst().ifPresent(b::add));
                yield b;
            }
            case SOFT_DELETE -> key.stream().map(k -> cols.stream().filter(f -> f.name().equals(k)).findFirst().orElseThrow()).toList();
        };
        add(new Target(s, sql, bound, key));
    }

    private static String insert(String table, List<Field> cols, Map<String, String> types) {
        return "INSERT INTO " + table + " (" + quoted(cols.stream().map(Field::name).toList()) + ") VALUES ("
                + String.join(", ", cols.stream().map(f -> param(types, f.name())).toList()) + ")";
    }

    private static String keyMatch(List<String> key, Map<String, String> types) {
        return String.join(" AND ", key.stream().map(k -> SqlIdentifiers.quote(k) + " = " + param(types, k)).toList());
    }

    /** A parameter cast to its column's type: the database converts the text, and refuses what does not fit. */
    private static String param(Map<String, String> types, String column) {
        return "CAST(? AS " + types.get(column) + ")";
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(SqlIdentifiers::quote).toList());
    }

    private Map<String, String> columnTypes(String schema, String table) throws SQLException {
        Map<String, String> types = columnTypes(connection, schema, table);
        connection.commit();
        return types;
    }

    /**
     * Each column of {@code schema.table} and its type without its length (an explicit cast to varchar(n) would truncate
     * instead of refusing); the writer and a dry run's key lookup read them the same way.
     */
    static Map<String, String> columnTypes(Connection c, String schema, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("select a.attname, format_type(a.atttypid, null) "
                + "from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped")) {
            st.setString(1, schema);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }

    @Override
    protected boolean append(Target t, SourceMessage.RecordMessage record) {
        return true; // bound at flush: the table's constraints decide
    }

    @Override
    protected void flush(Target t) throws ConnectorException {
        try {
            write(t, t.take());
        } catch (SQLException e) {
            throw new ConnectorException(SqlStates.whileWriting(e), config.describe(e), e);
        }
    }

    /** Writes a batch in one transaction; when the table refuses it, each half again, down to the refused rows. */
    private void write(Target t, List<SourceMessage.RecordMessage> batch) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(t.sql)) {
            for (SourceMessage.RecordMessage r : batch) {
                bind(st, t, r);
                st.addBatch();
            }
            int[] counts = st.executeBatch();
            connection.commit();
            InsertionMethod method = t.stream().insertionMethod();
            if (method == InsertionMethod.UPDATE || method == InsertionMethod.SOFT_DELETE) {
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        reject(new Rejection(batch.get(i), List.of(new Rejection.Reason(String.join(",", t.key),
                                Rejection.Code.DESTINATION_ERROR, "no row of " + t.stream().destinationName() + " matches "
                                + matchedKey(t, batch.get(i)) + " to " + method.wireName()))));
                    }
                }
            }
        } catch (SQLException e) {
            connection.rollback();
            if (SqlStates.isTransient(e)) {
                throw e;
            }
            if (batch.size() == 1) {
                reject(new Rejection(batch.getFirst(), List.of(reason(e))));
                return;
            }
            int half = batch.size() / 2;
            write(t, batch.subList(0, half));
            write(t, batch.subList(half, batch.size()));
        }
    }

    private static String matchedKey(Target t, SourceMessage.RecordMessage r) {
        return String.join(", ", t.key.stream().map(k -> k + " = " + r.data().get(k)).toList());
    }

    private static void bind(PreparedStatement st, Target t, SourceMessage.RecordMessage r) throws SQLException {
        int i = 1;
        for (Field f : t.columns) {
            Object v = r.data().get(f.name());
            SqlValues.Converted c = SqlValues.convert(v, f.type());
            // an unconvertible value goes as text: the database's refusal names the column
            st.setString(i++, c.text() != null ? c.text() : v == null ? null : v.toString());
        }
    }

    /** The refused row's reason, from the constraint the database names. */
    static Rejection.Reason reason(SQLException batchFailure) {
        // a batch failure carries the server's own error as its next exception
        SQLException e = batchFailure;
        while (e.getNextException() != null && !(e instanceof org.postgresql.util.PSQLException)) {
            e = e.getNextException();
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String column = null;
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
            column = p.getServerErrorMessage().getColumn();
            if (column == null && p.getServerErrorMessage().getDetail() != null) {
                var m = java.util.regex.Pattern.compile("Key \\(([^)]+)\\)").matcher(p.getServerErrorMessage().getDetail());
                column = m.find() ? m.group(1) : null;
            }
        }
        Rejection.Code code = SqlStates.rejection(state);
        String message = e.getMessage() == null ? state : e.getMessage().lines().findFirst().orElse(state)
                .replaceFirst("^ERROR: ", "");
        return new Rejection.Reason(column, code, message);
    }

    @Override
    public void close() {
        close(connection);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
