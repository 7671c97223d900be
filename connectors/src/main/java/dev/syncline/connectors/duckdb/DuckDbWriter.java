package dev.syncline.connectors.duckdb;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.connectors.sql.RowMeta;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlTargets;
import dev.syncline.connectors.sql.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one sync into DuckDB with the postgres destination's semantics: overwrite builds a table that replaces
 * the final one at {@link #complete()}, append inserts into the final table, dedup modes stage rows in a temporary
 * table merged at every checkpoint; uncastable values become NULL plus a {@code _syncline_meta} note.
 */
final class DuckDbWriter implements RecordWriter {
    private static final int BATCH = 2_000;
    private static final String RAW_ID = "_syncline_raw_id";
    private static final String EXTRACTED_AT = "_syncline_extracted_at";
    private static final String GENERATION_ID = "_syncline_generation_id";
    private static final String META = "_syncline_meta";
    private static final String SEQ = "_syncline_seq";
    private static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";

    /** A column: the field it comes from, its name and type, and whether it may not be null. */
    record Column(String field, String name, FieldType type, boolean required) {
        String sqlType() {
            return switch (type) {
                case STRING -> "VARCHAR";
                case BOOLEAN -> "BOOLEAN";
                case INTEGER -> "BIGINT";
                case NUMBER -> "DOUBLE";
                case DATE -> "DATE";
                case TIME -> "TIME";
                case TIMESTAMP -> "TIMESTAMP";
                case TIMESTAMP_TZ -> "TIMESTAMPTZ";
                case OBJECT, ARRAY -> "JSON";
                case BINARY -> "BLOB";
            };
        }
    }

    private final class Target {
        final ConfiguredStream stream;
        final String schema;
        final String finalTable;
        final String targetTable;
        final String loadTable;
        final List<Column> columns;
        final List<String> primaryKey;
        final String cursor;
        final PreparedStatement insert;
        int pending;
        long seq;
        boolean staged;

        Target(ConfiguredStream stream, String schema, String finalTable, String targetTable, String loadTable,
               List<Column> columns, List<String> primaryKey, String cursor) throws SQLException {
            this.stream = stream;
            this.schema = schema;
            this.finalTable = finalTable;
            this.targetTable = targetTable;
            this.loadTable = loadTable;
            this.columns = columns;
            this.primaryKey = primaryKey;
            this.cursor = cursor;
            StringBuilder cols = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (Column c : columns) {
                cols.append(SqlIdentifiers.quote(c.name())).append(", ");
                values.append(c.type() == FieldType.BINARY ? "?, " : "CAST(? AS " + c.sqlType() + "), ");
            }
            cols.append(quotedList(List.of(RAW_ID, EXTRACTED_AT, GENERATION_ID, META)));
            values.append("?, CAST(? AS TIMESTAMPTZ), ?, CAST(? AS JSON)");
            if (dedup()) {
                cols.append(", ").append(SqlIdentifiers.quote(SEQ));
                values.append(", ?");
            }
            this.insert = connection.prepareStatement("INSERT INTO " + table(loadTable) + " (" + cols + ") VALUES (" + values + ")");
        }

        String table(String name) {
            return dedup() && name.equals(loadTable) ? SqlIdentifiers.quote(name) : SqlIdentifiers.qualified(schema, name);
        }

        boolean dedup() {
            return stream.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                    || stream.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        }

        boolean replacesFinal() {
            return !targetTable.equals(finalTable);
        }
    }

    private final DuckDbDestination.Settings settings;
    private final Connection connection;
    private final WriteListener listener;
    private final Map<String, Target> targets = new HashMap<>();
    private final Map<String, List<SourceMessage.RecordMessage>> pendingRecords = new HashMap<>();
    /** The tables made to replace final ones at {@link #complete()}: dropped again when the sync does not complete. */
    private final List<String> replacements = new ArrayList<>();
    private boolean completed;

    private DuckDbWriter(DuckDbDestination.Settings settings, Connection connection, WriteListener listener) {
        this.settings = settings;
        this.connection = connection;
        this.listener = listener;
    }

    static DuckDbWriter open(DuckDbDestination.Settings settings, Connection connection, ConfiguredCatalog catalog,
                             WriteListener listener) throws ConnectorException {
        DuckDbWriter w = new DuckDbWriter(settings, connection, listener);
        try {
            SqlTargets.checkDistinct(catalog, settings.schema());
            for (ConfiguredStream s : catalog.streams()) {
                w.prepare(s);
            }
            return w;
        } catch (SQLException e) {
            w.close();
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "DuckDB: " + firstLine(e));
        } catch (ConnectorException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    private void prepare(ConfiguredStream s) throws SQLException, ConnectorException {
        String schema = SqlTargets.schema(s, settings.schema());
        String table = SqlTargets.table(s);
        boolean dedup = s.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                || s.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        List<String> pkFields = s.primaryKey().stream().map(List::getFirst).toList();
        if (dedup && pkFields.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "stream " + s.stream().name() + ": "
                    + s.destinationSyncMode().wireName() + " needs a primary key");
        }
        // distinct columns: SqlTargets.checkDistinct refused the catalog otherwise
        List<Column> cols = s.fields().stream().map(f -> new Column(f.name(), SqlIdentifiers.normalize(f.name()), f.type(),
                (dedup && pkFields.contains(f.name())) || !f.nullable())).toList();
        List<String> pk = pkFields.stream().map(SqlIdentifiers::normalize).toList();
        String cursor = s.cursorField().isEmpty() ? null : SqlIdentifiers.normalize(s.cursorField().getFirst());
        boolean overwrite = s.destinationSyncMode() == DestinationSyncMode.OVERWRITE
                || s.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        String tmp = "_syncline_tmp_" + table;
        String target = overwrite ? tmp : table;
        String load = dedup ? "_syncline_stage_" + table : target;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
            // what a failed attempt left behind (killed before it could drop it, or in another sync mode then) was
            // never acknowledged: dropped, whatever the mode now (staging tables are TEMP: they end with the connection)
            st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, tmp));
            if (overwrite) {
                replacements.add(SqlIdentifiers.qualified(schema, target));
                st.execute(createTable(SqlIdentifiers.qualified(schema, target), cols, dedup ? pk : List.of(), false, false));
            } else {
                st.execute(createTable(SqlIdentifiers.qualified(schema, table), cols, dedup ? pk : List.of(), true, false));
                for (Column c : cols) {
                    st.execute("ALTER TABLE " + SqlIdentifiers.qualified(schema, table) + " ADD COLUMN IF NOT EXISTS "
                            + SqlIdentifiers.quote(c.name()) + " " + c.sqlType());
                }
            }
            if (dedup) {
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.quote(load));
                st.execute(createTable(SqlIdentifiers.quote(load), cols, List.of(), false, true));
            }
        }
        targets.put(key(s.stream().namespace(), s.stream().name()), new Target(s, schema, table, target, load, cols, pk, cursor));
    }

    private static String createTable(String name, List<Column> cols, List<String> pk, boolean ifNotExists, boolean staging) {
        StringBuilder sql = new StringBuilder("CREATE ").append(staging ? "TEMP " : "").append("TABLE ")
                .append(ifNotExists ? "IF NOT EXISTS " : "").append(name).append(" (");
        for (Column c : cols) {
            sql.append(SqlIdentifiers.quote(c.name())).append(' ').append(c.sqlType())
                    .append(c.required() && !staging ? " NOT NULL" : "").append(", ");
        }
        sql.append(SqlIdentifiers.quote(RAW_ID)).append(" VARCHAR NOT NULL, ")
                .append(SqlIdentifiers.quote(EXTRACTED_AT)).append(" TIMESTAMPTZ NOT NULL, ")
                .append(SqlIdentifiers.quote(GENERATION_ID)).append(" BIGINT, ")
                .append(SqlIdentifiers.quote(META)).append(" JSON");
        if (staging) {
            sql.append(", ").append(SqlIdentifiers.quote(SEQ)).append(" BIGINT");
        }
        if (!pk.isEmpty()) {
            sql.append(", PRIMARY KEY (").append(quotedList(pk)).append(')');
        }
        return sql.append(')').toString();
    }

    private static String key(String namespace, String stream) {
        return namespace == null ? stream : namespace + "." + stream;
    }

    private static String quotedList(List<String> names) {
        return String.join(", ", names.stream().map(SqlIdentifiers::quote).toList());
    }

    @Override
    public void write(SourceMessage.RecordMessage record) throws ConnectorException {
        Target t = targets.get(key(record.namespace(), record.stream()));
        if (t == null) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "record of unconfigured stream " + record.stream());
        }
        try {
            List<Rejection.Reason> refused = null;
            RowMeta changes = RowMeta.of(record);
            int i = 1;
            for (Column c : t.columns) {
                Object raw = record.data().get(c.field());
                SqlValues.Converted v = SqlValues.convert(raw, c.type());
                if (v.text() == null && c.required()) {
                    if (refused == null) {
                        refused = new ArrayList<>(2);
                    }
                    refused.add(new Rejection.Reason(c.field(), v.error() != null ? Rejection.Code.TYPE_MISMATCH
                            : Rejection.Code.MISSING_REQUIRED, c.field() + (v.error() != null ? ": " + v.error()
                            + ", and column " + c.name() + " cannot be null" : " is required (NOT NULL column " + c.name() + ") but is null")));
                    continue;
                }
                if (v.error() != null) {
                    changes = RowMeta.typecastNulled(changes, c.field(), v.error());
                }
                if (c.type() == FieldType.BINARY) {
                    t.insert.setBytes(i++, raw == null || v.error() != null ? null
                            : raw instanceof byte[] b ? b : Base64.getDecoder().decode(raw.toString()));
                } else {
                    t.insert.setString(i++, v.text());
                }
            }
            if (refused != null) {
                t.insert.clearParameters();
                listener.rejected(new Rejection(record, refused));
                return;
            }
            t.insert.setString(i++, UUID.randomUUID().toString());
            t.insert.setString(i++, (record.emittedAt() != null ? record.emittedAt() : Instant.now()).toString());
            t.insert.setLong(i++, t.stream.generationId());
            t.insert.setString(i++, RowMeta.json(changes));
            if (t.dedup()) {
                t.insert.setLong(i, ++t.seq);
            }
            t.insert.addBatch();
            pendingRecords.computeIfAbsent(key(record.namespace(), record.stream()), k -> new ArrayList<>()).add(record);
            if (++t.pending >= BATCH) {
                flush(t);
            }
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "DuckDB: " + firstLine(e), e);
        }
    }

    private void flush(Target t) throws SQLException {
        if (t.pending == 0) {
            return;
        }
        t.insert.executeBatch();
        t.pending = 0;
        t.staged |= t.dedup();
        pendingRecords.remove(key(t.stream.stream().namespace(), t.stream.stream().name()));
    }

    private void merge(Target t) throws SQLException {
        if (!t.staged) {
            return;
        }
        String target = SqlIdentifiers.qualified(t.schema, t.targetTable);
        String stage = SqlIdentifiers.quote(t.loadTable);
        List<String> all = new ArrayList<>(t.columns.stream().map(Column::name).toList());
        all.addAll(List.of(RAW_ID, EXTRACTED_AT, GENERATION_ID, META));
        String pk = quotedList(t.primaryKey);
        String order = pk + (t.cursor != null ? ", " + SqlIdentifiers.quote(t.cursor) + " DESC NULLS LAST" : "")
                + ", " + SqlIdentifiers.quote(SEQ) + " DESC";
        String latest = "(SELECT DISTINCT ON (" + pk + ") * FROM " + stage + " ORDER BY " + order + ")";
        boolean cdc = t.columns.stream().anyMatch(c -> c.name().equals(CDC_DELETED_AT));
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            if (cdc) {
                StringBuilder match = new StringBuilder();
                for (String k : t.primaryKey) {
                    match.append(" AND ").append(target).append('.').append(SqlIdentifiers.quote(k)).append(" = l.")
                            .append(SqlIdentifiers.quote(k));
                }
                st.execute("DELETE FROM " + target + " USING " + latest + " l WHERE l." + SqlIdentifiers.quote(CDC_DELETED_AT)
                        + " IS NOT NULL" + match + " AND " + newer(t, target, "l"));
            }
            StringBuilder set = new StringBuilder();
            for (String c : all) {
                if (!t.primaryKey.contains(c)) {
                    set.append(set.isEmpty() ? "" : ", ").append(SqlIdentifiers.quote(c)).append(" = EXCLUDED.")
                            .append(SqlIdentifiers.quote(c));
                }
            }
            String where = t.cursor == null ? "" : " WHERE " + newer(t, SqlIdentifiers.quote(t.targetTable), "EXCLUDED");
            st.execute("INSERT INTO " + target + " (" + quotedList(all) + ") SELECT " + quotedList(all) + " FROM " + latest
                    + " l" + (cdc ? " WHERE l." + SqlIdentifiers.quote(CDC_DELETED_AT) + " IS NULL" : "")
                    + " ON CONFLICT (" + pk + ") DO UPDATE SET " + set + where);
            st.execute("DELETE FROM " + stage);
            connection.commit();
            t.staged = false;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The row already in the target loses unless its cursor is strictly newer: equal cursors go to the later extraction. */
    private static String newer(Target t, String target, String incoming) {
        if (t.cursor == null) {
            return "TRUE";
        }
        String mine = target + "." + SqlIdentifiers.quote(t.cursor);
        String theirs = incoming + "." + SqlIdentifiers.quote(t.cursor);
        return "(" + mine + " IS NULL OR " + theirs + " IS NULL OR " + mine + " <= " + theirs + ")";
    }

    @Override
    public void checkpoint(SourceMessage.StateMessage state) throws ConnectorException {
        try {
            for (Target t : targets.values()) {
                flush(t);
                merge(t);
            }
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "DuckDB: " + firstLine(e), e);
        }
        listener.checkpointed(state);
    }

    @Override
    public void complete() throws ConnectorException {
        try {
            for (Target t : targets.values()) {
                flush(t);
                merge(t);
            }
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (Target t : targets.values()) {
                    if (t.replacesFinal()) {
                        st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema, t.finalTable));
                        st.execute("ALTER TABLE " + SqlIdentifiers.qualified(t.schema, t.targetTable) + " RENAME TO "
                                + SqlIdentifiers.quote(t.finalTable));
                    }
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            completed = true;
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "DuckDB: " + firstLine(e), e);
        }
    }

    @Override
    public void close() {
        try {
            if (!completed) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                try (Statement st = connection.createStatement()) {
                    for (String table : replacements) {
                        st.execute("DROP TABLE IF EXISTS " + table);
                    }
                }
            }
        } catch (SQLException ignored) {
            // the next sync drops them again
        }
        try {
            for (Target t : targets.values()) {
                t.insert.close();
            }
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
