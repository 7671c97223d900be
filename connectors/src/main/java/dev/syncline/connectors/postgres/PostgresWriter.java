package dev.syncline.connectors.postgres;

import dev.syncline.connectors.sql.RowMeta;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlTargets;
import dev.syncline.connectors.sql.SqlValues;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.RowData;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one sync into PostgreSQL: typed final tables plus Syncline's columns, loaded with COPY.
 * <ul>
 * <li>full refresh | overwrite: COPY into a fresh table that replaces the final one in one transaction at
 * {@link #complete()} — readers never see an empty or half-loaded table;</li>
 * <li>append modes: COPY straight into the final table;</li>
 * <li>dedup modes: COPY into an unindexed, unlogged staging table, merged into the target at every checkpoint
 * (latest row per primary key by cursor, ties to the later extraction; a non-null {@code _ab_cdc_deleted_at}
 * deletes the row).</li>
 * </ul>
 * A value that cannot be cast to its column is written as NULL and noted in {@code _syncline_meta}: ELT never
 * drops a row for its content. Only a row that cannot be written at all (null in a NOT NULL column: a primary key
 * or a field the source declares non-nullable) becomes a {@link Rejection}.
 */
final class PostgresWriter implements RecordWriter {
    private static final int FLUSH_BYTES = 4 * 1024 * 1024;
    /**
     * Binary rows are denser, and a batch keeps its records until loaded (a refused row becomes a rejection of its
     * record): smaller batches keep fewer records alive for the collector to copy.
     */
    private static final int FLUSH_BINARY_BYTES = 1024 * 1024;
    /** The default of {@code _syncline_meta} in the tables Syncline creates, as PostgreSQL prints it back. */
    static final String META_DEFAULT = "'{\"changes\": []}'::jsonb";
    static final String RAW_ID = "_syncline_raw_id";
    static final String EXTRACTED_AT = "_syncline_extracted_at";
    static final String GENERATION_ID = "_syncline_generation_id";
    static final String META = "_syncline_meta";
    static final String SEQ = "_syncline_seq";
    static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";

    private final PostgresConfig config;
    private final Connection connection;
    private final CopyManager copy;
    private final WriteListener listener;
    private final Map<String, Target> targets = new HashMap<>();
    private final java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "postgres-destination-load");
        t.setDaemon(true);
        return t;
    });
    private java.util.concurrent.Future<List<Rejection>> inFlight;
    private boolean completed;
    private Instant lastEmittedAt;
    private Target lastTarget;
    private String lastStream;
    private String lastNamespace;
    private String lastEmittedAtText;

    /** Where one stream goes, and its rows not yet loaded. */
    private static final class Target {
        final ConfiguredStream stream;
        final String schema;
        final String finalTable;
        /** Where merges go: the final table, or for overwrite modes the table that replaces it. */
        final String targetTable;
        /** Where COPY goes: the target itself, or for dedup modes the staging table. */
        final String loadTable;
        final List<PgColumn> columns;
        final List<String> primaryKey;
        final String cursor;
        final StringBuilder buffer = new StringBuilder();
        /** Rows in binary COPY format, when every column of the load table has the type Syncline gives it. */
        final BinaryCopyRows rows = new BinaryCopyRows();
        /** Where each buffered binary row starts in {@link #rows}. */
        int[] rowStarts = new int[1024];
        boolean binary;
        /** Whether the load table fills an omitted {@code _syncline_meta} with no changes (tables Syncline creates do). */
        boolean metaDefault;
        /**
         * Whether the binary batch being buffered carries {@code _syncline_meta}: only once a row of it has changes
         * to note (the rows before it get theirs then); otherwise the column's default fills it, and PostgreSQL
         * parses no JSON for it.
         */
        boolean batchMeta;
        final List<SourceMessage.RecordMessage> buffered = new ArrayList<>();
        boolean staged;
        /** The layout of the last row seen, and where each column's value is in it. */
        RowData.Layout layout;
        int[] positions;

        Target(ConfiguredStream stream, String schema, String finalTable, String targetTable, String loadTable,
               List<PgColumn> columns, List<String> primaryKey, String cursor) {
            this.stream = stream;
            this.schema = schema;
            this.finalTable = finalTable;
            this.targetTable = targetTable;
            this.loadTable = loadTable;
            this.columns = columns;
            this.primaryKey = primaryKey;
            this.cursor = cursor;
        }

        boolean dedup() {
            return stream.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                    || stream.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        }

        boolean replacesFinal() {
            return !targetTable.equals(finalTable);
        }

        boolean hasColumn(String name) {
            return columns.stream().anyMatch(c -> c.name().equals(name));
        }

        String copySql() {
            StringBuilder sql = new StringBuilder("COPY ").append(SqlIdentifiers.qualified(schema, loadTable)).append(" (");
            for (PgColumn c : columns) {
                sql.append(SqlIdentifiers.quote(c.name())).append(", ");
            }
            sql.append(SqlIdentifiers.quote(RAW_ID)).append(", ").append(SqlIdentifiers.quote(EXTRACTED_AT)).append(", ")
                    .append(SqlIdentifiers.quote(GENERATION_ID));
            if (!binary || batchMeta) {
                sql.append(", ").append(SqlIdentifiers.quote(META));
            }
            return sql.append(") FROM STDIN").append(binary ? " (FORMAT binary)" : "").toString();
        }
    }

    private PostgresWriter(PostgresConfig config, Connection connection, WriteListener listener) throws SQLException {
        this.config = config;
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.listener = listener;
    }

    static PostgresWriter open(PostgresConfig config, ConfiguredCatalog catalog, WriteListener listener)
            throws ConnectorException {
        SqlTargets.checkDistinct(catalog, config.schema());
        Connection c = config.connect();
        PostgresWriter w = null;
        try {
            w = new PostgresWriter(config, c, listener);
            for (ConfiguredStream s : catalog.streams()) {
                w.prepare(s);
            }
            return w;
        } catch (SQLException e) {
            abandon(w, c);
            throw new ConnectorException(ConnectorException.Type.SYSTEM, config.describe(e));
        } catch (ConnectorException | RuntimeException e) {
            abandon(w, c);
            throw e;
        }
    }

    /** An open that failed: the tables made for the streams prepared so far go again. */
    private static void abandon(PostgresWriter w, Connection c) {
        if (w != null) {
            w.close();
        } else {
            close(c);
        }
    }

    private void prepare(ConfiguredStream s) throws SQLException, ConnectorException {
        String schema = SqlTargets.schema(s, config.schema());
        String table = SqlTargets.table(s);
        boolean dedup = s.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                || s.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        List<String> pkFields = s.primaryKey().stream().map(List::getFirst).toList();
        if (dedup && pkFields.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "stream " + s.stream().name()
                    + ": " + s.destinationSyncMode().wireName() + " needs a primary key");
        }
        // distinct columns: SqlTargets.checkDistinct refused the catalog otherwise
        List<PgColumn> cols = s.fields().stream().map(f -> new PgColumn(f.name(), SqlIdentifiers.normalize(f.name()), f.type(),
                (dedup && pkFields.contains(f.name())) || !f.nullable())).toList();
        List<String> pk = pkFields.stream().map(SqlIdentifiers::normalize).toList();
        String cursor = s.cursorField().isEmpty() ? null : SqlIdentifiers.normalize(s.cursorField().getFirst());
        boolean overwrite = s.destinationSyncMode() == DestinationSyncMode.OVERWRITE
                || s.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        String tmp = internalName("_syncline_tmp_", table);
        String stage = internalName("_syncline_stage_", table);
        String target = overwrite ? tmp : table;
        String load = dedup ? stage : target;
        // known before its tables exist: a failure from here on drops what was made (close())
        Target t = new Target(s, schema, table, target, load, cols, pk, cursor);
        targets.put(key(s.stream().namespace(), s.stream().name()), t);
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
            // what a failed attempt left behind (its process killed before it could drop them, or another sync mode
            // then) was never acknowledged: dropped, whatever the mode now
            st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, tmp) + ", "
                    + SqlIdentifiers.qualified(schema, stage));
            if (overwrite) {
                st.execute(createTable(schema, target, cols, false, false));
            } else {
                st.execute(createTable(schema, table, cols, true, false));
                for (PgColumn col : cols) {
                    // new fields become new columns; removed fields keep their column (nulls from now on)
                    st.execute("ALTER TABLE " + SqlIdentifiers.qualified(schema, table) + " ADD COLUMN IF NOT EXISTS "
                            + SqlIdentifiers.quote(col.name()) + " " + col.sqlType());
                }
            }
            if (dedup) {
                st.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + SqlIdentifiers.quote(internalName("_syncline_pk_", target))
                        + " ON " + SqlIdentifiers.qualified(schema, target) + " (" + quotedList(pk) + ")");
                st.execute(createTable(schema, load, cols, false, true));
            }
        }
        binaryFits(t, schema, load, cols);
    }

    /**
     * Whether rows can go in binary COPY format: only when every column COPY fills has exactly the type Syncline
     * creates it with (a table made by someone else, or a column kept from an older type, takes text, which
     * PostgreSQL casts to whatever the column is).
     */
    private void binaryFits(Target t, String schema, String table, List<PgColumn> cols) throws SQLException {
        Map<String, String> expected = new HashMap<>();
        for (PgColumn c : cols) {
            expected.put(c.name(), regtype(c.sqlType()));
        }
        expected.put(RAW_ID, "uuid");
        expected.put(EXTRACTED_AT, "timestamp with time zone");
        expected.put(GENERATION_ID, "bigint");
        expected.put(META, "jsonb");
        Map<String, String> actual = new HashMap<>();
        String metaDefault = null;
        try (java.sql.PreparedStatement st = connection.prepareStatement("select a.attname, a.atttypid::regtype::text, "
                + "pg_get_expr(d.adbin, d.adrelid) from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid "
                + "and d.adnum = a.attnum where a.attrelid = ?::regclass and a.attnum > 0 and not a.attisdropped")) {
            st.setString(1, SqlIdentifiers.qualified(schema, table));
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    actual.put(rs.getString(1), rs.getString(2));
                    if (rs.getString(1).equals(META)) {
                        metaDefault = rs.getString(3);
                    }
                }
            }
        }
        t.binary = expected.entrySet().stream().allMatch(e -> e.getValue().equals(actual.get(e.getKey())));
        t.metaDefault = t.binary && META_DEFAULT.equals(metaDefault);
        t.batchMeta = !t.metaDefault;
    }

    private static String regtype(String sqlType) {
        return switch (sqlType) {
            case "time" -> "time without time zone";
            case "timestamp" -> "timestamp without time zone";
            case "timestamptz" -> "timestamp with time zone";
            default -> sqlType;
        };
    }

    /** Whether the stream's rows go in binary COPY format (false: text). */
    boolean binaryCopy(String namespace, String stream) {
        return targets.get(key(namespace, stream)).binary;
    }

    /**
     * {@code prefix + table}, within PostgreSQL's identifier length: a name too long is cut and ends with a hash of the
     * table's whole name, so two long tables alike in their first characters never share a staging table or index.
     */
    static String internalName(String prefix, String table) {
        String name = prefix + table;
        if (name.length() <= SqlIdentifiers.MAX_LENGTH) {
            return name;
        }
        String hash = String.format("_%08x", table.hashCode());
        return name.substring(0, SqlIdentifiers.MAX_LENGTH - hash.length()) + hash;
    }

    private static String createTable(String schema, String table, List<PgColumn> cols, boolean ifNotExists,
                                      boolean staging) {
        StringBuilder sql = new StringBuilder("CREATE ").append(staging ? "UNLOGGED " : "").append("TABLE ")
                .append(ifNotExists ? "IF NOT EXISTS " : "").append(SqlIdentifiers.qualified(schema, table)).append(" (");
        for (PgColumn c : cols) {
            sql.append(SqlIdentifiers.quote(c.name())).append(' ').append(c.sqlType())
                    .append(c.primaryKey() && !staging ? " NOT NULL" : "").append(", ");
        }
        sql.append(SqlIdentifiers.quote(RAW_ID)).append(" uuid NOT NULL, ")
                .append(SqlIdentifiers.quote(EXTRACTED_AT)).append(" timestamptz NOT NULL, ")
                .append(SqlIdentifiers.quote(GENERATION_ID)).append(" bigint, ")
                .append(SqlIdentifiers.quote(META)).append(" jsonb DEFAULT ").append(META_DEFAULT);
        if (staging) {
            sql.append(", ").append(SqlIdentifiers.quote(SEQ)).append(" bigserial");
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
        Target t = lastTarget;
        if (t == null || record.stream() != lastStream || record.namespace() != lastNamespace) {
            // records of one stream come in runs, with the same name strings: one map lookup per run
            t = targets.get(key(record.namespace(), record.stream()));
            lastTarget = t;
            lastStream = record.stream();
            lastNamespace = record.namespace();
        }
        if (t == null) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "record of unconfigured stream " + record.stream());
        }
        // the row goes straight into the COPY buffer; a refused row is cut off again
        boolean binary = t.binary;
        StringBuilder out = t.buffer;
        BinaryCopyRows bin = t.rows;
        int mark = binary ? bin.length() : out.length();
        List<Rejection.Reason> refused = null;
        RowMeta changes = RowMeta.of(record);
        RowData row = record.data() instanceof RowData r ? r : null;
        if (row != null && row.layout() != t.layout) {
            t.layout = row.layout();
            t.positions = t.layout.positions(t.columns.stream().map(PgColumn::field).toList());
        }
        List<PgColumn> columns = t.columns;
        if (binary) {
            bin.startRow(0); // the count is set once it is known whether the row carries _syncline_meta
        }
        for (int i = 0; i < columns.size(); i++) {
            PgColumn c = columns.get(i);
            Object value = row != null ? row.value(t.positions[i]) : record.data().get(c.field());
            String error;
            boolean isNull;
            if (binary) {
                error = bin.field(value, c.type());
                isNull = value == null || error != null;
            } else {
                SqlValues.Converted v = SqlValues.convert(value, c.type());
                error = v.error();
                isNull = v.text() == null;
                SqlValues.appendCopyText(out, v.text());
                out.append('\t');
            }
            if (isNull && c.primaryKey()) {
                if (refused == null) {
                    refused = new ArrayList<>(2);
                }
                refused.add(error != null
                        ? new Rejection.Reason(c.field(), Rejection.Code.TYPE_MISMATCH, c.field() + ": " + error
                                + ", and column " + c.name() + " cannot be null")
                        : new Rejection.Reason(c.field(), Rejection.Code.MISSING_REQUIRED,
                                c.field() + " is required (NOT NULL column " + c.name() + ") but is null"));
                continue;
            }
            if (error != null) {
                changes = RowMeta.typecastNulled(changes, c.field(), error);
            }
        }
        if (refused != null) {
            if (binary) {
                bin.truncate(mark);
            } else {
                out.setLength(mark);
            }
            listener.rejected(new Rejection(record, refused));
            return;
        }
        String meta = RowMeta.json(changes);
        long generation = t.stream.generationId();
        if (binary) {
            if (changes != null && !t.batchMeta) {
                mark = bin.appendToEachRow(t.rowStarts, t.buffered.size(), mark, RowMeta.NO_CHANGES);
                t.batchMeta = true;
            }
            bin.uuid(dev.syncline.connectors.spi.RandomIds.uuid());
            bin.timestampTz(record.emittedAt() != null ? record.emittedAt() : Instant.now());
            bin.int8(generation);
            if (t.batchMeta) {
                bin.jsonb(meta);
            }
            bin.fieldCount(mark, columns.size() + (t.batchMeta ? 4 : 3));
            if (t.buffered.size() == t.rowStarts.length) {
                t.rowStarts = java.util.Arrays.copyOf(t.rowStarts, t.rowStarts.length * 2);
            }
            t.rowStarts[t.buffered.size()] = mark;
        } else {
            out.append(dev.syncline.connectors.spi.RandomIds.uuid()).append('\t').append(emittedAt(record.emittedAt())).append('\t')
                    .append(generation).append('\t');
            SqlValues.appendCopyText(out, meta);
            out.append('\n');
        }
        t.buffered.add(record);
        if (t.binary ? t.rows.length() >= FLUSH_BINARY_BYTES : t.buffer.length() >= FLUSH_BYTES) {
            flush(t);
        }
    }

    /** {@code at} as text; rows read together share one instant, so its text is made once for them. */
    private String emittedAt(Instant at) {
        Instant i = at != null ? at : Instant.now();
        if (!i.equals(lastEmittedAt)) {
            lastEmittedAt = i;
            lastEmittedAtText = i.toString();
        }
        return lastEmittedAtText;
    }

    /**
     * Hands the buffered rows to the loader thread, which COPYs them while this thread converts the next ones
     * (the connection is only ever used by one thread at a time: every other use waits for the load first).
     */
    private void flush(Target t) throws ConnectorException {
        if (t.buffered.isEmpty()) {
            return;
        }
        awaitLoad();
        Batch batch = t.binary
                ? new Batch(t.copySql(), null, java.util.Arrays.copyOf(t.rows.array(), t.rows.length()),
                        java.util.Arrays.copyOf(t.rowStarts, t.buffered.size()), new ArrayList<>(t.buffered), t.finalTable)
                : new Batch(t.copySql(), t.buffer.toString(), null, null, new ArrayList<>(t.buffered), t.finalTable);
        t.buffer.setLength(0);
        t.rows.clear();
        t.batchMeta = !t.metaDefault;
        t.buffered.clear();
        t.staged |= t.dedup();
        inFlight = loader.submit(() -> load(batch));
    }

    /** One COPY's rows: COPY text, or binary rows with where each starts. */
    private record Batch(String sql, String text, byte[] binary, int[] rowStarts,
                         List<SourceMessage.RecordMessage> records, String table) {
        /** Row {@code i} alone, as a whole COPY input. */
        byte[] binaryRow(int i) {
            int from = rowStarts[i];
            int to = i + 1 < rowStarts.length ? rowStarts[i + 1] : binary.length;
            java.io.ByteArrayOutputStream one = new java.io.ByteArrayOutputStream(to - from + 21);
            one.writeBytes(BinaryCopyRows.HEADER);
            one.write(binary, from, to - from);
            one.writeBytes(BinaryCopyRows.TRAILER);
            return one.toByteArray();
        }
    }

    /** Waits for the load in flight, reports what the database refused, and rethrows its failure. */
    private void awaitLoad() throws ConnectorException {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get().forEach(listener::rejected);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ConnectorException ce) {
                throw ce;
            }
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "loading failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "interrupted while loading");
        } finally {
            inFlight = null;
        }
    }

    /** On the loader thread: one COPY; if the database refuses the batch, row by row to find the refused rows. */
    private List<Rejection> load(Batch b) throws ConnectorException {
        try {
            if (b.binary() != null) {
                org.postgresql.copy.CopyIn in = copy.copyIn(b.sql());
                try {
                    in.writeToCopy(BinaryCopyRows.HEADER, 0, BinaryCopyRows.HEADER.length);
                    in.writeToCopy(b.binary(), 0, b.binary().length);
                    in.writeToCopy(BinaryCopyRows.TRAILER, 0, BinaryCopyRows.TRAILER.length);
                    in.endCopy();
                } finally {
                    if (in.isActive()) {
                        in.cancelCopy();
                    }
                }
            } else {
                copy.copyIn(b.sql(), new java.io.ByteArrayInputStream(b.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return List.of();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
            }
            return loadRowByRow(b);
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection to "
                    + config.host() + ":" + config.port() + " while loading " + b.table(), e);
        }
    }

    private List<Rejection> loadRowByRow(Batch b) throws ConnectorException {
        List<Rejection> refused = new ArrayList<>();
        String[] lines = b.text() == null ? null : b.text().split("\n", -1);
        for (int i = 0; i < b.records().size(); i++) {
            try {
                if (lines != null) {
                    copy.copyIn(b.sql(), new StringReader(lines[i] + "\n"));
                } else {
                    copy.copyIn(b.sql(), new java.io.ByteArrayInputStream(b.binaryRow(i)));
                }
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("08")) {
                    throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
                }
                Rejection.Code code = state.startsWith("23") ? Rejection.Code.CONSTRAINT_VIOLATION
                        : state.startsWith("22") ? Rejection.Code.TYPE_MISMATCH : Rejection.Code.DESTINATION_ERROR;
                refused.add(new Rejection(b.records().get(i), List.of(new Rejection.Reason(null, code, PostgresConfig.firstLine(e)))));
            } catch (IOException e) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection while loading " + b.table(), e);
            }
        }
        return refused;
    }

    /** Staged rows of a dedup stream into its target: latest per key wins; CDC deletes remove the key. */
    private void merge(Target t) throws SQLException {
        if (!t.staged) {
            return;
        }
        String target = SqlIdentifiers.qualified(t.schema, t.targetTable);
        String stage = SqlIdentifiers.qualified(t.schema, t.loadTable);
        List<String> all = new ArrayList<>(t.columns.stream().map(PgColumn::name).toList());
        all.addAll(List.of(RAW_ID, EXTRACTED_AT, GENERATION_ID, META));
        String pk = quotedList(t.primaryKey);
        String order = pk + (t.cursor != null ? ", " + SqlIdentifiers.quote(t.cursor) + " DESC NULLS LAST" : "")
                + ", " + SqlIdentifiers.quote(SEQ) + " DESC";
        String latest = "(SELECT DISTINCT ON (" + pk + ") * FROM " + stage + " ORDER BY " + order + ")";
        boolean cdc = t.hasColumn(CDC_DELETED_AT);
        String newer = newerThanTarget(t, target, "l");
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
                        + " IS NOT NULL" + match + " AND " + newer);
            }
            StringBuilder set = new StringBuilder();
            for (String c : all) {
                if (!t.primaryKey.contains(c)) {
                    set.append(set.isEmpty() ? "" : ", ").append(SqlIdentifiers.quote(c)).append(" = EXCLUDED.")
                            .append(SqlIdentifiers.quote(c));
                }
            }
            String where = t.cursor == null ? "" : " WHERE " + newerThanTarget(t, target, "EXCLUDED");
            st.execute("INSERT INTO " + target + " (" + quotedList(all) + ") SELECT " + quotedList(all) + " FROM "
                    + latest + " l" + (cdc ? " WHERE l." + SqlIdentifiers.quote(CDC_DELETED_AT) + " IS NULL" : "")
                    + " ON CONFLICT (" + pk + ") DO UPDATE SET " + set + where);
            st.execute("TRUNCATE " + stage);
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
    private static String newerThanTarget(Target t, String target, String incoming) {
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
            }
            awaitLoad();
            for (Target t : targets.values()) {
                merge(t);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        listener.checkpointed(state);
    }

    @Override
    public void complete() throws ConnectorException {
        try {
            for (Target t : targets.values()) {
                flush(t);
            }
            awaitLoad();
            for (Target t : targets.values()) {
                merge(t);
            }
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (Target t : targets.values()) {
                    if (t.dedup()) {
                        st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema, t.loadTable));
                    }
                    if (t.replacesFinal()) {
                        st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema, t.finalTable));
                        st.execute("ALTER TABLE " + SqlIdentifiers.qualified(t.schema, t.targetTable) + " RENAME TO "
                                + SqlIdentifiers.quote(t.finalTable));
                        if (t.dedup()) {
                            st.execute("ALTER INDEX " + SqlIdentifiers.qualified(t.schema, internalName("_syncline_pk_", t.targetTable))
                                    + " RENAME TO " + SqlIdentifiers.quote(internalName("_syncline_pk_", t.finalTable)));
                        }
                    }
                }
            }
            connection.commit();
            completed = true;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private ConnectorException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return new ConnectorException(state.startsWith("08") || state.startsWith("57") ? ConnectorException.Type.TRANSIENT
                : ConnectorException.Type.SYSTEM, config.describe(e), e);
    }

    @Override
    public void close() {
        loader.shutdownNow();
        try {
            loader.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!completed) {
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                try (Statement st = connection.createStatement()) {
                    for (Target t : targets.values()) {
                        if (t.replacesFinal()) {
                            st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema, t.targetTable));
                        }
                        if (t.dedup()) {
                            st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(t.schema, t.loadTable));
                        }
                    }
                }
            } catch (SQLException ignored) {
                // the next sync's prepare() drops them again
            }
        }
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
