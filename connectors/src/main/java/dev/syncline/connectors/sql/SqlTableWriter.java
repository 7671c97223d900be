package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.BufferedWriter;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An ELT destination's writer into SQL tables, the same for every database but its {@link SqlDialect}: typed final
 * tables plus Syncline's columns.
 * <ul>
 * <li>full refresh | overwrite: rows go into a fresh table that replaces the final one in one transaction at
 * {@link #complete()} — readers never see an empty or half-loaded table;</li>
 * <li>append modes: rows go straight into the final table (new fields become new columns; removed ones keep theirs);</li>
 * <li>dedup modes: rows go into a staging table, merged into the target at every checkpoint (latest row per primary
 * key by cursor, ties to the later extraction; a non-null {@code _ab_cdc_deleted_at} deletes the row).</li>
 * </ul>
 * What a killed attempt left behind ({@code _syncline_tmp_*}, {@code _syncline_stage_*}) was never acknowledged: it
 * is dropped when the next one opens, whatever its mode, unless that attempt resumes from it: with
 * {@link #resumesOverwrite()}, a full refresh | overwrite stream's replacement table and its
 * {@code _syncline_checkpoints_*} table outlive a failed attempt that a retry may follow, and the retry of the same
 * job keeps the rows up to the checkpoint it resumes from ({@link ConfiguredStream#resumeState()}). A value that
 * cannot be cast to its column is written as NULL and noted in {@code _syncline_meta} ({@link RowMeta}); only a row that cannot be written at all (null in a NOT NULL
 * column) becomes a {@link Rejection} ({@link #refusal}). A subclass loads rows into {@link SqlTable#load()} its own
 * way ({@link #load}) and may do so on another thread ({@link #awaitLoads}).
 */
public abstract class SqlTableWriter<B extends SqlTableWriter.TableBuffer> extends BufferedWriter<B> {
    public static final String RAW_ID = "_syncline_raw_id";
    public static final String EXTRACTED_AT = "_syncline_extracted_at";
    public static final String GENERATION_ID = "_syncline_generation_id";
    public static final String META = "_syncline_meta";
    public static final String SEQ = "_syncline_seq";
    public static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";
    /**
     * The column of a resumable replacement table ({@link #resumesOverwrite()}) that says after how many of its stream's
     * checkpoints each row was loaded; dropped before the table replaces the final one.
     */
    public static final String CHECKPOINT = "_syncline_checkpoint";

    /** One stream's table and its rows not yet loaded. */
    public static class TableBuffer extends BufferedWriter.Buffer {
        private final SqlTable table;
        /** Whether the staging table holds rows not merged yet (package-private: reached through the type variable). */
        boolean staged;
        /** The table of this stream's acknowledged checkpoints, when its replacement table is resumable; else null. */
        String checkpoints;
        /** How many checkpoints of this stream the replacement table holds the rows of. */
        long checkpointed;
        /** The replacement table's definition, recorded with each checkpoint: a retry resumes only into the same. */
        String layout;

        /**
         * The value of {@link #CHECKPOINT} for rows loaded now, when the replacement table is resumable; else -1 (the
         * table has no such column).
         */
        public final long checkpointTag() {
            return checkpoints == null ? -1 : checkpointed + 1;
        }

        protected TableBuffer(SqlTable table, int maxRows, long maxBytes) {
            super(table.stream(), maxRows, maxBytes);
            this.table = table;
        }

        public final SqlTable table() {
            return table;
        }
    }

    protected final SqlDialect dialect;
    protected final Connection connection;
    /**
     * Every table planned so far, made or not: an open that fails, or a sync that does not complete, drops them (but a
     * resumable replacement table when a retry may follow).
     */
    private final List<SqlTable> prepared = new ArrayList<>();
    /** The resumable replacement tables made or kept so far, and their checkpoint tables: a failed attempt keeps them. */
    private final java.util.Map<SqlTable, String> resumable = new java.util.HashMap<>();
    /** The streams resumed from their resume state ({@link #resumed()}). */
    private final java.util.Set<String> resumedStreams = new java.util.HashSet<>();
    /** Of each resumed table, the checkpoint whose rows it keeps. */
    private final java.util.Map<SqlTable, Long> resumedAt = new java.util.HashMap<>();
    /** Of each resumable table, its definition ({@link TableBuffer#layout}). */
    private final java.util.Map<SqlTable, String> layouts = new java.util.HashMap<>();
    private boolean completed;

    protected SqlTableWriter(SqlDialect dialect, Connection connection, WriteListener listener) {
        super(listener);
        this.dialect = dialect;
        this.connection = connection;
    }

    /** The buffer of a prepared table (its tables exist now). */
    protected abstract B buffer(SqlTable table) throws SQLException, ConnectorException;

    /** Loads a buffer's rows ({@link Buffer#take()}) into its {@link SqlTable#load()}. */
    protected abstract void load(B buffer) throws ConnectorException;

    /** Waits for loads still running on another thread; nothing by default. */
    protected void awaitLoads() throws ConnectorException {
    }

    /** A database failure as the user should see it. */
    protected abstract ConnectorException failure(SQLException e);

    /**
     * Whether a full refresh | overwrite stream's replacement table outlives a failed attempt, so that a retry resumes
     * from the last checkpoint acknowledged: its rows carry {@link #CHECKPOINT}, which the subclass's loads must fill
     * with {@link TableBuffer#checkpointTag()}, placed right after the stream's own columns. False by default.
     */
    protected boolean resumesOverwrite() {
        return false;
    }

    @Override
    public java.util.Set<String> resumed() {
        return java.util.Set.copyOf(resumedStreams);
    }

    /**
     * Makes every stream's tables. {@link SqlTargets#checkDistinct} must have accepted the catalog. On a failure the
     * caller closes the writer, which drops what was made.
     */
    protected final void prepare(ConfiguredCatalog catalog, String defaultSchema) throws SQLException, ConnectorException {
        for (ConfiguredStream s : catalog.streams()) {
            SqlTable t = prepare(s, defaultSchema);
            B b = buffer(t);
            b.checkpoints = resumable.get(t);
            b.checkpointed = b.checkpoints == null ? 0 : resumedAt.getOrDefault(t, 0L);
            b.layout = layouts.get(t);
            add(b);
        }
    }

    private SqlTable prepare(ConfiguredStream s, String defaultSchema) throws SQLException, ConnectorException {
        String schema = SqlTargets.schema(s, defaultSchema);
        String table = SqlTargets.table(s);
        boolean dedup = SqlTable.dedup(s.destinationSyncMode());
        List<String> pkFields = s.primaryKey().stream().map(List::getFirst).toList();
        if (dedup && pkFields.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "stream " + s.stream().name()
                    + ": " + s.destinationSyncMode().wireName() + " needs a primary key");
        }
        // distinct columns: SqlTargets.checkDistinct refused the catalog otherwise
        List<SqlColumn> cols = s.fields().stream().map(f -> new SqlColumn(f.name(), SqlIdentifiers.normalize(f.name()), f.type(),
                (dedup && pkFields.contains(f.name())) || !f.nullable())).toList();
        List<String> pk = pkFields.stream().map(SqlIdentifiers::normalize).toList();
        String cursor = s.cursorField().isEmpty() ? null : SqlIdentifiers.normalize(s.cursorField().getFirst());
        boolean overwrite = SqlTable.overwrite(s.destinationSyncMode());
        String tmp = internalName("_syncline_tmp_", table, dialect.maxIdentifierLength());
        String stage = internalName("_syncline_stage_", table, dialect.maxIdentifierLength());
        String checkpoints = internalName("_syncline_checkpoints_", table, dialect.maxIdentifierLength());
        boolean resumes = resumesOverwrite() && overwrite && !dedup && s.syncMode() == SyncMode.FULL_REFRESH;
        String target = overwrite ? tmp : table;
        String load = dedup ? stage : target;
        SqlTable t = new SqlTable(s, schema, table, target, load,
                dedup ? dialect.stagingTable(schema, stage) : SqlIdentifiers.qualified(schema, target), cols, pk, cursor);
        // known before its tables exist: a failure from here on drops what was made (close())
        prepared.add(t);
        // the schema on its own: concurrent first syncs into a new schema race for it for one statement only
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
        }
        // then two transactions per stream instead of a commit (and a wait for the disk) per statement, which was most
        // of what a sync of nearly nothing cost (bench/run small): the tables and their new columns, committed before
        // the key index, whose build (first dedup sync into a table) must not keep the ALTER's lock and block readers;
        // per stream, so that a catalog of thousands of streams never holds thousands of tables' locks at once
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            // a retry of a resumable stream keeps what the failed attempt wrote up to the checkpoint it resumes from,
            // into a table defined as this attempt would define it (same columns, types, nullability, order)
            String layout = resumes ? createTable(t.target(), cols, dedup ? pk : List.of(), false, false, true) : null;
            Long at = resumes && s.resumeState() != null
                    ? resumePoint(st, schema, tmp, checkpoints, cols, s.resumeState().toString(), layout) : null;
            if (at == null) {
                // what a failed attempt left behind (its process killed before it could drop them, or another sync
                // mode then) was never acknowledged, or is not what this attempt resumes from: dropped
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, tmp));
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, stage));
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, checkpoints));
            }
            List<String> key = dedup ? pk : List.of();
            if (resumes) {
                resumable.put(t, SqlIdentifiers.qualified(schema, checkpoints));
                layouts.put(t, layout);
                if (at == null) {
                    st.execute(layout);
                    st.execute("CREATE TABLE " + SqlIdentifiers.qualified(schema, checkpoints) + " (state "
                            + dialect.columnType(FieldType.STRING) + " NOT NULL, checkpoint "
                            + dialect.columnType(FieldType.INTEGER) + " NOT NULL, layout "
                            + dialect.columnType(FieldType.STRING) + " NOT NULL)");
                } else {
                    // rows loaded after that checkpoint, and checkpoints the platform never stored, go
                    st.execute("DELETE FROM " + t.target() + " WHERE " + SqlIdentifiers.quote(CHECKPOINT) + " > " + at);
                    st.execute("DELETE FROM " + SqlIdentifiers.qualified(schema, checkpoints) + " WHERE checkpoint > " + at);
                    resumedAt.put(t, at);
                    resumedStreams.add(s.stream().qualifiedName());
                }
            } else if (overwrite) {
                st.execute(createTable(t.target(), cols, key, false, false));
            } else {
                st.execute(createTable(t.target(), cols, key, true, false));
                // only the columns the table lacks: an ALTER TABLE locks out the table's readers, even when it adds nothing
                java.util.Set<String> present = columns(st, t.target());
                for (SqlColumn c : cols) {
                    if (!present.contains(c.name())) {
                        st.execute("ALTER TABLE " + t.target() + " ADD COLUMN IF NOT EXISTS " + SqlIdentifiers.quote(c.name())
                                + " " + dialect.columnType(c.type()));
                    }
                }
            }
            connection.commit();
            if (dedup) {
                for (String sql : dialect.keyStatements(schema, target, pk)) {
                    st.execute(sql);
                }
                if (!t.load().equals(SqlIdentifiers.qualified(schema, stage))) { // else dropped above
                    st.execute("DROP TABLE IF EXISTS " + t.load());
                }
                st.execute(createTable(t.load(), cols, List.of(), false, true));
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException r) {
                e.addSuppressed(r); // the connection lost, most likely: the first failure is the one to report
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is gone; close() finds it so
            }
        }
        return t;
    }

    /**
     * The checkpoint of {@code state} in a failed attempt's checkpoint table, recorded into a table defined as
     * {@code layout} that is still there with every column this attempt writes; null otherwise (the stream starts over).
     */
    private Long resumePoint(Statement st, String schema, String tmp, String checkpoints, List<SqlColumn> cols, String state,
                             String layout) throws SQLException {
        if (!exists(schema, tmp) || !exists(schema, checkpoints)) {
            return null;
        }
        java.util.Set<String> present = columns(st, SqlIdentifiers.qualified(schema, tmp));
        if (!present.contains(CHECKPOINT) || !cols.stream().allMatch(c -> present.contains(c.name()))) {
            return null;
        }
        if (!columns(st, SqlIdentifiers.qualified(schema, checkpoints)).contains("layout")) {
            return null;
        }
        try (java.sql.PreparedStatement q = connection.prepareStatement("SELECT max(checkpoint) FROM "
                + SqlIdentifiers.qualified(schema, checkpoints) + " WHERE state = ? AND layout = ?")) {
            q.setString(1, state);
            q.setString(2, layout);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                rs.next();
                long at = rs.getLong(1);
                return rs.wasNull() ? null : at;
            }
        }
    }

    /** Whether {@code schema.table} exists, from the driver's metadata (no failed statement in the transaction). */
    private boolean exists(String schema, String table) throws SQLException {
        java.sql.DatabaseMetaData md = connection.getMetaData();
        try (java.sql.ResultSet rs = md.getTables(null, pattern(md, schema), pattern(md, table), null)) {
            // the names are patterns: each match is compared in full
            while (rs.next()) {
                if (schema.equals(rs.getString("TABLE_SCHEM")) && table.equals(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code name} as a metadata pattern that matches only itself ({@code _} and {@code %} escaped). */
    private static String pattern(java.sql.DatabaseMetaData md, String name) throws SQLException {
        String escape = md.getSearchStringEscape();
        return escape == null || escape.isEmpty() ? name
                : name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    /** The names of {@code table}'s columns, from an empty result's metadata (one round trip, any dialect). */
    private static java.util.Set<String> columns(Statement st, String table) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnName(i));
            }
            return names;
        }
    }

    private String createTable(String name, List<SqlColumn> cols, List<String> key, boolean ifNotExists, boolean staging) {
        return createTable(name, cols, key, ifNotExists, staging, false);
    }

    /** {@code tagged}: with {@link #CHECKPOINT} after the stream's columns (a resumable replacement table). */
    private String createTable(String name, List<SqlColumn> cols, List<String> key, boolean ifNotExists, boolean staging,
                               boolean tagged) {
        StringBuilder sql = new StringBuilder("CREATE ").append(staging ? dialect.stagingKind() : "").append("TABLE ")
                .append(ifNotExists ? "IF NOT EXISTS " : "").append(name).append(" (");
        for (SqlColumn c : cols) {
            sql.append(SqlIdentifiers.quote(c.name())).append(' ').append(dialect.columnType(c.type()))
                    .append(c.required() && !staging ? " NOT NULL" : "").append(", ");
        }
        if (tagged) {
            sql.append(SqlIdentifiers.quote(CHECKPOINT)).append(' ').append(dialect.columnType(FieldType.INTEGER))
                    .append(" NOT NULL, ");
        }
        sql.append(SqlIdentifiers.quote(RAW_ID)).append(' ').append(dialect.uuidType()).append(" NOT NULL, ")
                .append(SqlIdentifiers.quote(EXTRACTED_AT)).append(' ').append(dialect.columnType(FieldType.TIMESTAMP_TZ))
                .append(" NOT NULL, ")
                .append(SqlIdentifiers.quote(GENERATION_ID)).append(' ').append(dialect.columnType(FieldType.INTEGER)).append(", ")
                .append(SqlIdentifiers.quote(META)).append(' ').append(dialect.columnType(FieldType.OBJECT))
                .append(dialect.metaDefault());
        if (staging) {
            sql.append(", ").append(SqlIdentifiers.quote(SEQ)).append(' ').append(dialect.sequenceType());
        }
        if (!key.isEmpty()) {
            sql.append(dialect.keyClause(key));
        }
        return sql.append(')').toString();
    }

    /**
     * {@code prefix + table}, within {@code maxLength}: a name too long is cut and ends with a hash of the table's whole
     * name, so two long tables alike in their first characters never share a staging table or index.
     */
    public static String internalName(String prefix, String table, int maxLength) {
        String name = prefix + table;
        if (name.length() <= maxLength) {
            return name;
        }
        String hash = String.format("_%08x", table.hashCode());
        return name.substring(0, maxLength - hash.length()) + hash;
    }

    public static String quotedList(List<String> names) {
        return String.join(", ", names.stream().map(SqlIdentifiers::quote).toList());
    }

    /**
     * Why a row cannot be written: {@code column} may not be null, and the row's value is null, or could not be cast
     * ({@code error}, else null).
     */
    protected static Rejection.Reason refusal(SqlColumn column, String error) {
        return error != null
                ? new Rejection.Reason(column.field(), Rejection.Code.TYPE_MISMATCH, column.field() + ": " + error
                        + ", and column " + column.name() + " cannot be null")
                : new Rejection.Reason(column.field(), Rejection.Code.MISSING_REQUIRED,
                        column.field() + " is required (NOT NULL column " + column.name() + ") but is null");
    }

    @Override
    protected final void flush(B b) throws ConnectorException {
        b.staged |= b.table().dedup();
        load(b);
    }

    @Override
    protected final void persist(dev.syncline.connectors.spi.SourceMessage.StateMessage state) throws ConnectorException {
        awaitLoads();
        try {
            for (B b : buffers()) {
                merge(b);
            }
            // every row loaded so far is durable: a resumable stream's replacement table holds its rows up to this state
            B b = state == null || state.wholeSource() ? null : buffer(state.namespace(), state.stream());
            if (b != null && b.checkpoints != null) {
                try (java.sql.PreparedStatement st = connection.prepareStatement("INSERT INTO " + b.checkpoints
                        + " (state, checkpoint, layout) VALUES (?, ?, ?)")) {
                    st.setString(1, state.state().toString());
                    st.setLong(2, b.checkpointed + 1);
                    st.setString(3, b.layout);
                    st.executeUpdate();
                }
                b.checkpointed++;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Staged rows of a dedup stream into its target: latest per key wins; CDC deletes remove the key. */
    private void merge(B b) throws SQLException {
        if (!b.staged) {
            return;
        }
        SqlTable t = b.table();
        String target = t.target();
        List<String> all = new ArrayList<>(t.columns().stream().map(SqlColumn::name).toList());
        all.addAll(List.of(RAW_ID, EXTRACTED_AT, GENERATION_ID, META));
        String pk = quotedList(t.primaryKey());
        String order = pk + (t.cursor() != null ? ", " + SqlIdentifiers.quote(t.cursor()) + " DESC NULLS LAST" : "")
                + ", " + SqlIdentifiers.quote(SEQ) + " DESC";
        String latest = "(SELECT DISTINCT ON (" + pk + ") * FROM " + t.load() + " ORDER BY " + order + ")";
        boolean cdc = t.hasColumn(CDC_DELETED_AT);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            if (cdc) {
                StringBuilder match = new StringBuilder();
                for (String k : t.primaryKey()) {
                    match.append(" AND ").append(target).append('.').append(SqlIdentifiers.quote(k)).append(" = l.")
                            .append(SqlIdentifiers.quote(k));
                }
                st.execute("DELETE FROM " + target + " USING " + latest + " l WHERE l." + SqlIdentifiers.quote(CDC_DELETED_AT)
                        + " IS NOT NULL" + match + " AND " + newerThanTarget(t, target, "l"));
            }
            StringBuilder set = new StringBuilder();
            for (String c : all) {
                if (!t.primaryKey().contains(c)) {
                    set.append(set.isEmpty() ? "" : ", ").append(SqlIdentifiers.quote(c)).append(" = EXCLUDED.")
                            .append(SqlIdentifiers.quote(c));
                }
            }
            // the row already there is named by its table's bare name: the form every dialect accepts in ON CONFLICT
            String where = t.cursor() == null ? ""
                    : " WHERE " + newerThanTarget(t, SqlIdentifiers.quote(t.targetTable()), "EXCLUDED");
            st.execute("INSERT INTO " + target + " (" + quotedList(all) + ") SELECT " + quotedList(all) + " FROM "
                    + latest + " l" + (cdc ? " WHERE l." + SqlIdentifiers.quote(CDC_DELETED_AT) + " IS NULL" : "")
                    + " ON CONFLICT (" + pk + ") DO UPDATE SET " + set + where);
            st.execute("TRUNCATE " + t.load());
            connection.commit();
            b.staged = false;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The row already in the target loses unless its cursor is strictly newer: equal cursors go to the later extraction. */
    static String newerThanTarget(SqlTable t, String target, String incoming) {
        if (t.cursor() == null) {
            return "TRUE";
        }
        String mine = target + "." + SqlIdentifiers.quote(t.cursor());
        String theirs = incoming + "." + SqlIdentifiers.quote(t.cursor());
        return "(" + mine + " IS NULL OR " + theirs + " IS NULL OR " + mine + " <= " + theirs + ")";
    }

    /** Drops the staging tables and swaps every replacement table in, in one transaction. */
    @Override
    protected final void finish() throws ConnectorException {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (B b : buffers()) {
                    SqlTable t = b.table();
                    if (t.dedup()) {
                        st.execute("DROP TABLE IF EXISTS " + t.load());
                    }
                    if (b.checkpoints != null) {
                        st.execute("ALTER TABLE " + t.target() + " DROP COLUMN " + SqlIdentifiers.quote(CHECKPOINT));
                        st.execute("DROP TABLE IF EXISTS " + b.checkpoints);
                    }
                    if (t.replacesFinal()) {
                        st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema(), t.finalTable()));
                        st.execute("ALTER TABLE " + t.target() + " RENAME TO " + SqlIdentifiers.quote(t.finalTable()));
                        if (t.dedup()) {
                            for (String sql : dialect.renameKey(t.schema(), t.targetTable(), t.finalTable())) {
                                st.execute(sql);
                            }
                        }
                    }
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            completed = true;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Unless the sync completed, drops the tables it made (the final ones stay as they were), but keeps a resumable
     * replacement table and its checkpoints when {@link WriteListener#retryMayFollow()}; closes the connection.
     */
    @Override
    public void close() {
        if (!completed) {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                try (Statement st = connection.createStatement()) {
                    // a resumable replacement table stays, with its checkpoints, when a retry may resume from it; the
                    // next attempt that does not resume from it drops it
                    boolean keep = !resumable.isEmpty() && listener().retryMayFollow();
                    for (SqlTable t : prepared) {
                        if (t.replacesFinal() && !(keep && resumable.containsKey(t))) {
                            st.execute("DROP TABLE IF EXISTS " + t.target());
                        }
                        if (!keep && resumable.containsKey(t)) {
                            st.execute("DROP TABLE IF EXISTS " + resumable.get(t));
                        }
                        if (t.dedup()) {
                            st.execute("DROP TABLE IF EXISTS " + t.load());
                        }
                    }
                }
            } catch (SQLException ignored) {
                // the next sync's prepare() drops them again
            }
        }
        closeQuietly(connection);
    }

    public static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
