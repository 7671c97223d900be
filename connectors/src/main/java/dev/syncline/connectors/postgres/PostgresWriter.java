package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.RowData;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.connectors.sql.RowMeta;
import dev.syncline.connectors.sql.SqlColumn;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlStates;
import dev.syncline.connectors.sql.SqlTable;
import dev.syncline.connectors.sql.SqlTableWriter;
import dev.syncline.connectors.sql.SqlTargets;
import dev.syncline.connectors.sql.SqlValues;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one sync into PostgreSQL ({@link SqlTableWriter}'s tables and modes), loading rows with COPY: binary
 * when every column has the type Syncline gives it, text otherwise. A COPY runs on a loader thread while the sync's
 * thread converts the next rows; a batch the database refuses is loaded again row by row, and each refused row
 * becomes a {@link Rejection}.
 */
final class PostgresWriter extends SqlTableWriter<PostgresWriter.Target> {
    private static final int FLUSH_BYTES = 4 * 1024 * 1024;
    /**
     * Binary rows are denser, and a batch keeps its records until loaded (a refused row becomes a rejection of its
     * record): smaller batches keep fewer records alive for the collector to copy.
     */
    private static final int FLUSH_BINARY_BYTES = 1024 * 1024;
    /** The default of {@code _syncline_meta} in the tables Syncline creates, as PostgreSQL prints it back. */
    static final String META_DEFAULT = PostgresDialect.META_DEFAULT;

    private final PostgresConfig config;
    /** The most COPYs at once into a table that is replaced or appended to. */
    private final int maxLoads;
    private final java.util.concurrent.ExecutorService loader;
    /**
     * The connections loads run on, each used by one load at a time: the first is the writer's own (every other use of
     * it waits for the loads first), the others are opened when a second load at once is first needed.
     */
    private final List<Lane> lanes = new ArrayList<>();
    /** How many lanes loads may use: {@link #maxLoads}, fewer once a connection more could not be opened. */
    private int lanesAvailable;
    /** Loads not yet awaited, oldest first. */
    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();

    /** A connection loads run on. */
    private record Lane(Connection connection, CopyManager copy) { }

    private record InFlight(Lane lane, java.util.concurrent.Future<List<Rejection>> result) { }
    private Instant lastEmittedAt;
    private String lastEmittedAtText;

    /** One stream's rows not yet loaded, in COPY's text or binary format. */
    static final class Target extends SqlTableWriter.TableBuffer {
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
        /** The layout of the last row seen, and where each column's value is in it. */
        RowData.Layout layout;
        int[] positions;

        Target(SqlTable table) {
            super(table, Integer.MAX_VALUE, FLUSH_BYTES);
        }

        void fitLimits() {
            limits(Integer.MAX_VALUE, binary ? FLUSH_BINARY_BYTES : FLUSH_BYTES);
        }

        @Override
        protected long bytes() {
            return binary ? rows.length() : buffer.length();
        }

        String copySql() {
            StringBuilder sql = new StringBuilder("COPY ").append(table().load()).append(" (");
            for (SqlColumn c : table().columns()) {
                sql.append(SqlIdentifiers.quote(c.name())).append(", ");
            }
            if (checkpointTag() >= 0) {
                sql.append(SqlIdentifiers.quote(CHECKPOINT)).append(", ");
            }
            sql.append(SqlIdentifiers.quote(RAW_ID)).append(", ").append(SqlIdentifiers.quote(EXTRACTED_AT)).append(", ")
                    .append(SqlIdentifiers.quote(GENERATION_ID));
            if (!binary || batchMeta) {
                sql.append(", ").append(SqlIdentifiers.quote(META));
            }
            return sql.append(") FROM STDIN").append(binary ? " (FORMAT binary)" : "").toString();
        }
    }

    private PostgresWriter(PostgresConfig config, int maxLoads, Connection connection, WriteListener listener)
            throws SQLException {
        super(PostgresDialect.INSTANCE, connection, listener);
        this.config = config;
        this.maxLoads = Math.max(1, maxLoads);
        this.lanesAvailable = this.maxLoads;
        this.lanes.add(new Lane(connection, connection.unwrap(PGConnection.class).getCopyAPI()));
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.loader = java.util.concurrent.Executors.newFixedThreadPool(this.maxLoads, r -> {
            Thread t = new Thread(r, "postgres-destination-load-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static PostgresWriter open(PostgresConfig config, ConfiguredCatalog catalog, WriteListener listener)
            throws ConnectorException {
        return open(config, 1, catalog, listener);
    }

    /** {@code maxLoads}: the most COPYs at once into a table that is replaced or appended to. */
    static PostgresWriter open(PostgresConfig config, int maxLoads, ConfiguredCatalog catalog, WriteListener listener)
            throws ConnectorException {
        SqlTargets.checkDistinct(catalog, config.schema());
        Connection c = config.connect();
        PostgresWriter w = null;
        try {
            w = new PostgresWriter(config, maxLoads, c, listener);
            w.prepare(catalog, config.schema());
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
            closeQuietly(c);
        }
    }

    @Override
    protected Target buffer(SqlTable table) throws SQLException {
        Target t = new Target(table);
        binaryFits(t);
        t.fitLimits();
        return t;
    }

    /**
     * Whether rows can go in binary COPY format: only when every column COPY fills has exactly the type Syncline
     * creates it with (a table made by someone else, or a column kept from an older type, takes text, which
     * PostgreSQL casts to whatever the column is).
     */
    private void binaryFits(Target t) throws SQLException {
        Map<String, String> expected = new HashMap<>();
        for (SqlColumn c : t.table().columns()) {
            expected.put(c.name(), regtype(dialect.columnType(c.type())));
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
            st.setString(1, t.table().load());
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
        t.metaDefault = t.binary && PostgresDialect.META_DEFAULT.equals(metaDefault);
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
        return buffer(namespace, stream).binary;
    }

    @Override
    protected boolean append(Target t, SourceMessage.RecordMessage record) {
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
            t.positions = t.layout.positions(t.table().columns().stream().map(SqlColumn::field).toList());
        }
        List<SqlColumn> columns = t.table().columns();
        if (binary) {
            bin.startRow(0); // the count is set once it is known whether the row carries _syncline_meta
        }
        for (int i = 0; i < columns.size(); i++) {
            SqlColumn c = columns.get(i);
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
            if (isNull && c.required()) {
                if (refused == null) {
                    refused = new ArrayList<>(2);
                }
                refused.add(refusal(c, error));
                continue;
            }
            if (error != null) {
                changes = RowMeta.typecastNulled(changes, c.field(), error);
            }
        }
        long tag = t.checkpointTag();
        if (tag >= 0 && refused == null) {
            if (binary) {
                bin.int8(tag);
            } else {
                out.append(tag).append('\t');
            }
        }
        if (refused != null) {
            if (binary) {
                bin.truncate(mark);
            } else {
                out.setLength(mark);
            }
            reject(new Rejection(record, refused));
            return false;
        }
        String meta = RowMeta.json(changes);
        long generation = t.stream().generationId();
        if (binary) {
            if (changes != null && !t.batchMeta) {
                mark = bin.appendToEachRow(t.rowStarts, t.size(), mark, RowMeta.NO_CHANGES);
                t.batchMeta = true;
            }
            bin.uuid(dev.syncline.connectors.spi.RandomIds.uuid());
            bin.timestampTz(record.emittedAt() != null ? record.emittedAt() : Instant.now());
            bin.int8(generation);
            if (t.batchMeta) {
                bin.jsonb(meta);
            }
            bin.fieldCount(mark, columns.size() + (tag >= 0 ? 1 : 0) + (t.batchMeta ? 4 : 3));
            if (t.size() == t.rowStarts.length) {
                t.rowStarts = java.util.Arrays.copyOf(t.rowStarts, t.rowStarts.length * 2);
            }
            t.rowStarts[t.size()] = mark;
        } else {
            out.append(dev.syncline.connectors.spi.RandomIds.uuid()).append('\t').append(emittedAt(record.emittedAt())).append('\t')
                    .append(generation).append('\t');
            SqlValues.appendCopyText(out, meta);
            out.append('\n');
        }
        return true;
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
     * Hands the buffered rows to a loader thread, which COPYs them while this thread converts the next ones
     * (each connection is used by one thread at a time: every other use of the writer's own waits for the loads first).
     */
    @Override
    protected void load(Target t) throws ConnectorException {
        Lane lane = lane(t);
        String sql = t.copySql();
        int n = t.size();
        List<SourceMessage.RecordMessage> records = t.take();
        Batch batch = t.binary
                ? new Batch(sql, null, java.util.Arrays.copyOf(t.rows.array(), t.rows.length()),
                        java.util.Arrays.copyOf(t.rowStarts, n), records, t.table().finalTable())
                : new Batch(sql, t.buffer.toString(), null, null, records, t.table().finalTable());
        t.buffer.setLength(0);
        t.rows.clear();
        t.batchMeta = !t.metaDefault;
        inFlight.addLast(new InFlight(lane, loader.submit(() -> load(lane, batch))));
    }

    /**
     * The connection the next batch of {@code t} loads on. A deduplicated table's batches load one at a time, in
     * order, on the writer's own connection: the merge takes the later of two rows with the same key and cursor by
     * the order they were staged in. A table that is replaced or appended to takes any free connection, up to
     * {@link #maxLoads} at once (its rows have no order); when all are busy, the oldest load is awaited first.
     */
    private Lane lane(Target t) throws ConnectorException {
        if (maxLoads == 1 || t.table().dedup()) {
            awaitLoads();
            return lanes.getFirst();
        }
        if (inFlight.size() >= maxLoads) {
            awaitOldest();
        }
        for (Lane lane : lanes) {
            if (inFlight.stream().noneMatch(f -> f.lane() == lane)) {
                return lane;
            }
        }
        if (lanes.size() < lanesAvailable) {
            Connection c = null;
            try {
                c = config.connect();
                Lane lane = new Lane(c, c.unwrap(PGConnection.class).getCopyAPI());
                lanes.add(lane);
                return lane;
            } catch (SQLException | ConnectorException e) {
                // no connection to spare (a connection limit, say): the loads go on with the lanes there are
                if (c != null) {
                    closeQuietly(c);
                }
                lanesAvailable = lanes.size();
            }
        }
        Lane oldest = inFlight.getFirst().lane();
        awaitOldest();
        return oldest;
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

    /** Waits for every load in flight, reports what the database refused, and rethrows the first failure. */
    @Override
    protected void awaitLoads() throws ConnectorException {
        while (!inFlight.isEmpty()) {
            awaitOldest();
        }
    }

    /** Waits for the oldest load in flight, reports what the database refused, and rethrows its failure. */
    private void awaitOldest() throws ConnectorException {
        InFlight oldest = inFlight.removeFirst();
        try {
            oldest.result().get().forEach(this::reject);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ConnectorException ce) {
                throw ce;
            }
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "loading failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "interrupted while loading");
        }
    }

    /** On a loader thread: one COPY; if the database refuses the batch, row by row to find the refused rows. */
    private List<Rejection> load(Lane lane, Batch b) throws ConnectorException {
        CopyManager copy = lane.copy();
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
            if (SqlStates.isConnectionLost(e)) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
            }
            return loadRowByRow(lane, b);
        } catch (IOException e) {
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection to "
                    + config.host() + ":" + config.port() + " while loading " + b.table(), e);
        }
    }

    private List<Rejection> loadRowByRow(Lane lane, Batch b) throws ConnectorException {
        CopyManager copy = lane.copy();
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
                if (SqlStates.isConnectionLost(e)) {
                    throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
                }
                refused.add(new Rejection(b.records().get(i), List.of(new Rejection.Reason(null,
                        SqlStates.rejection(e.getSQLState()), PostgresConfig.firstLine(e)))));
            } catch (IOException e) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection while loading " + b.table(), e);
            }
        }
        return refused;
    }

    /** A replacement table outlives a failed attempt, and its retry resumes from the last checkpoint acknowledged. */
    @Override
    protected boolean resumesOverwrite() {
        return true;
    }

    @Override
    protected ConnectorException failure(SQLException e) {
        return new ConnectorException(SqlStates.whileWriting(e), config.describe(e), e);
    }

    @Override
    public void close() {
        // the loads in flight end first: a connection is used by one thread at a time
        loader.shutdownNow();
        try {
            loader.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane lane : lanes.subList(1, lanes.size())) {
            closeQuietly(lane.connection());
        }
        super.close();
    }
}
