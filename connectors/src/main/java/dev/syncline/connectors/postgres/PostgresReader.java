package dev.syncline.connectors.postgres;

import dev.syncline.connectors.sql.SqlIdentifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ChunkQueue;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RowData;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the configured streams, up to {@code max_parallel_streams} at once, each on its own connection and thread,
 * into one bounded queue (memory stays flat: readers wait while the consumer is behind).
 */
final class PostgresReader implements MessageReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Chunks of CHUNK messages travel through the queue: one hand-over (a lock, maybe a wake-up) per chunk, not per row. */
    private static final int QUEUE = 20;
    private static final int CHUNK = 500;
    private static final int FETCH = 5_000;
    private static final int CHECKPOINT_ROWS = 50_000;

    private final PostgresSourceConfig cfg;
    private final ChunkQueue chunks = new ChunkQueue(QUEUE);
    private final ExecutorService pool;
    /** The readers of a table's ranges besides its stream's own thread (see {@link #readByCtid}). */
    private final ExecutorService rangeReaders;
    private final AtomicInteger running;
    // each reading thread's messages not handed over yet
    private final ThreadLocal<List<SourceMessage>> pending = ThreadLocal.withInitial(() -> new java.util.ArrayList<>(CHUNK));
    // when the rows of each thread's current chunk were read (one clock read per chunk, not per row)
    private final ThreadLocal<Instant> chunkRead = ThreadLocal.withInitial(Instant::now);

    /** Run once before the readers of a table's ranges connect (after the snapshot was exported): a test's hold on them. */
    private final Runnable beforeOtherReader;

    PostgresReader(PostgresSourceConfig cfg, ConfiguredCatalog catalog, Map<String, JsonNode> state) {
        this(cfg, catalog, state, () -> { });
    }

    PostgresReader(PostgresSourceConfig cfg, ConfiguredCatalog catalog, Map<String, JsonNode> state, Runnable beforeOtherReader) {
        this.cfg = cfg;
        this.beforeOtherReader = beforeOtherReader;
        int n = Math.max(1, Math.min(cfg.maxParallelStreams(), catalog.streams().size()));
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "postgres-source-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger rangeThreads = new AtomicInteger();
        this.rangeReaders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "postgres-source-range-" + rangeThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.running = new AtomicInteger(catalog.streams().size());
        if (catalog.streams().isEmpty()) {
            chunks.finish();
        }
        for (ConfiguredStream s : catalog.streams()) {
            pool.submit(() -> {
                try {
                    readStream(s, state.get(s.stream().qualifiedName()));
                } catch (ConnectorException e) {
                    fail(e);
                } catch (SQLException e) {
                    fail(new ConnectorException(dev.syncline.connectors.sql.SqlStates.isTransient(e)
                            ? ConnectorException.Type.TRANSIENT : ConnectorException.Type.SYSTEM,
                            "reading " + s.stream().qualifiedName() + ": " + cfg.connection().describe(e), e));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    fail(new ConnectorException(ConnectorException.Type.SYSTEM, "reading " + s.stream().qualifiedName()
                            + ": " + e, e));
                } finally {
                    if (running.decrementAndGet() == 0) {
                        chunks.finish();
                    }
                }
            });
        }
    }

    private void fail(ConnectorException e) {
        chunks.fail(new UncheckedConnectorException(e));
    }

    private void emit(SourceMessage m) throws InterruptedException {
        List<SourceMessage> p = pending.get();
        p.add(m);
        // a state goes at once (with the records before it): the writer checkpoints when it arrives
        if (p.size() >= CHUNK || m instanceof SourceMessage.StateMessage) {
            handOver();
        }
    }

    private void handOver() throws InterruptedException {
        List<SourceMessage> p = pending.get();
        if (p.isEmpty()) {
            return;
        }
        pending.set(new java.util.ArrayList<>(CHUNK));
        chunkRead.set(Instant.now());
        java.util.concurrent.BlockingQueue<List<SourceMessage>> range = rangeOutput.get();
        if (range != null) {
            range.put(p);
        } else {
            chunks.put(p);
        }
    }

    private void readStream(ConfiguredStream s, JsonNode state) throws SQLException, ConnectorException, InterruptedException {
        pending.get().clear(); // whatever a stream that failed on this thread left
        String table = SqlIdentifiers.qualified(s.stream().namespace(), s.stream().name());
        List<Field> fields = s.fields();
        RowData.Layout layout = new RowData.Layout(fields.stream().map(Field::name).toList());
        String columns = String.join(", ", fields.stream().map(f -> SqlIdentifiers.quote(f.name())).toList());
        try (Connection c = cfg.connection().connect()) {
            // one snapshot for the whole stream, and a cursor so rows stream instead of being loaded at once
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            if (s.syncMode() == SyncMode.INCREMENTAL) {
                readIncremental(c, s, layout, table, columns, state);
            } else if (isTable(c, s)) {
                readByCtid(c, s, layout, table, columns, state);
            } else {
                BinaryCopyReader binary = BinaryCopyReader.of(c, table, fields);
                if (binary != null) {
                    copyAll(c, s, layout, binary, "select " + columns + " from " + table);
                } else {
                    readAll(c, s, layout, "select " + columns + " from " + table, List.of());
                }
                emit(new SourceMessage.StateMessage(s.stream().namespace(), s.stream().name(), JSON.createObjectNode()));
            }
            c.commit();
        }
        handOver();
    }

    private static boolean isTable(Connection c, ConfiguredStream s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select c.relkind::text from pg_class c join pg_namespace n "
                + "on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?")) {
            st.setString(1, s.stream().namespace());
            st.setString(2, s.stream().name());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && List.of("r", "p", "m").contains(rs.getString(1));
            }
        }
    }

    /**
     * Full refresh of a table in ranges of pages: no ORDER BY, no OFFSET, each range a TID range scan. After a range
     * but the last, at most every {@code checkpoint_seconds}, a state says which range comes next ({@link #rangeState}):
     * a retry whose destination kept what it wrote up to there reads on from that range ({@code state}), once
     * {@link #unchangedSince} said the table's rows are still where the first attempt saw them (a row deleted since
     * from a range read already stays as read: the copy is then of two moments, no row lost or doubled). A table of
     * more than one range, every column of which binary COPY decodes, is read by up to {@code readers_per_table}
     * connections besides this one (which only hands their rows over), each taking the next range not taken yet, all in
     * this connection's snapshot ({@code pg_export_snapshot}, as pg_dump and pgcopydb do): the rows of one attempt are
     * those of one moment, however many read them; their ranges are handed over in order, so that each state follows
     * exactly the rows of the ranges before it.
     */
    private void readByCtid(Connection c, ConfiguredStream s, RowData.Layout layout, String table, String columns,
                            JsonNode state) throws SQLException, ConnectorException, InterruptedException {
        long pages;
        try (PreparedStatement st = c.prepareStatement("select pg_relation_size(?::regclass) / current_setting('block_size')::bigint")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        JsonNode from = state == null ? null : state.path(RANGES);
        boolean resumes = resumable(from);
        if (resumes && !unchangedSince(c, table, from)) {
            // the platform asked canResume before the destination kept its rows: the table changed since
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "table " + s.stream().qualifiedName()
                    + " changed since the failed attempt read part of it: the next attempt reads it again from the start");
        }
        // a retry keeps the ranges of the attempt it resumes (the last is open-ended: pages added since are in it), and
        // what its first attempt saw of the table
        long chunk = resumes ? from.path("chunk_pages").asLong() : cfg.chunkPages();
        long first = resumes ? from.path("next_range").asLong() : 0;
        long[] origin = resumes ? new long[] {from.path("relfilenode").asLong(), from.path("xmin").asLong()} : origin(c, table);
        List<String> ranges = new java.util.ArrayList<>();
        for (long i = first; i == first || i * chunk <= pages; i++) {
            long lo = i * chunk;
            ranges.add(" where ctid >= '(" + lo + ",0)'::tid" + (lo + chunk > pages ? "" : " and ctid < '(" + (lo + chunk) + ",0)'::tid"));
        }
        BinaryCopyReader binary = BinaryCopyReader.of(c, table, s.fields());
        int readers = Math.min(cfg.readersPerTable(), ranges.size());
        String snapshot = readers > 1 && binary != null ? exportSnapshot(c) : null;
        // no other connection could read in this snapshot (a connection limit, or a host name that leads to another
        // server): this one reads every range
        List<Connection> opened = snapshot == null ? List.of() : openReaders(snapshot, readers);
        if (opened.isEmpty()) {
            long checkpointed = System.nanoTime();
            for (int i = 0; i < ranges.size(); i++) {
                readRange(c, s, layout, binary, "select " + columns + " from " + table + ranges.get(i));
                if (i + 1 < ranges.size() && checkpointDue(checkpointed)) {
                    emit(rangeState(s, first + i + 1, chunk, origin));
                    checkpointed = System.nanoTime();
                }
            }
        } else {
            readRanges(s, layout, table, columns, ranges, first, chunk, origin, opened);
        }
        emit(new SourceMessage.StateMessage(s.stream().namespace(), s.stream().name(), JSON.createObjectNode()));
    }

    /**
     * Up to {@code readers} connections reading in {@code snapshot}; a connection that cannot be opened, or cannot
     * import the snapshot (behind a host name that leads to several servers), is left out: fewer read.
     */
    private List<Connection> openReaders(String snapshot, int readers) {
        beforeOtherReader.run();
        List<Connection> opened = new java.util.ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Connection other = null;
            try {
                other = cfg.connection().connect();
                other.setAutoCommit(false);
                other.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                other.setReadOnly(true);
                try (java.sql.Statement st = other.createStatement()) {
                    // a snapshot id is made of hex digits and dashes: checked, as SET takes no parameter
                    if (!snapshot.matches("[0-9A-Fa-f-]+")) {
                        throw new SQLException("unexpected snapshot id " + snapshot);
                    }
                    st.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                }
                opened.add(other);
            } catch (SQLException | ConnectorException | RuntimeException e) {
                if (other != null) {
                    try {
                        other.close();
                    } catch (SQLException ignored) {
                        // it could not be used anyway
                    }
                }
            }
        }
        return opened;
    }

    /**
     * Whether a range's state goes now: at most every {@code checkpoint_seconds} (each checkpoint makes the destination
     * wait for its loads, and sync-service store the state).
     */
    private boolean checkpointDue(long lastNanos) {
        return System.nanoTime() - lastNanos >= cfg.checkpointSeconds() * 1_000_000_000L;
    }

    /**
     * Where a full refresh's ranges are in its state: {@code {"ctid_ranges": {"next_range": n, "chunk_pages": c,
     * "relfilenode": f, "xmin": x}}}, with the table's file and the oldest transaction still running when the first
     * attempt's snapshot was taken.
     */
    static final String RANGES = "ctid_ranges";

    private static SourceMessage.StateMessage rangeState(ConfiguredStream s, long next, long chunk, long[] origin) {
        ObjectNode st = JSON.createObjectNode();
        st.putObject(RANGES).put("next_range", next).put("chunk_pages", chunk).put("relfilenode", origin[0])
                .put("xmin", origin[1]);
        return new SourceMessage.StateMessage(s.stream().namespace(), s.stream().name(), st);
    }

    /** Whether {@code ranges} (a state's {@link #RANGES}) says where to read on from. */
    static boolean resumable(JsonNode ranges) {
        return ranges != null && ranges.isObject() && ranges.path("next_range").canConvertToLong()
                && ranges.path("chunk_pages").canConvertToLong() && ranges.path("chunk_pages").asLong() > 0
                && ranges.path("relfilenode").canConvertToLong() && ranges.path("xmin").canConvertToLong();
    }

    /** The table's file and the oldest transaction running when this transaction's snapshot was taken. */
    private static long[] origin(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select pg_relation_filenode(?::regclass), "
                + "txid_snapshot_xmin(txid_current_snapshot())")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /**
     * Whether {@code table}, in this transaction's snapshot, still has the rows the first attempt saw where it saw them
     * (its {@code ranges} state): the same file (no VACUUM FULL, CLUSTER or TRUNCATE moved them since), and no row
     * written by a transaction that had not ended before that attempt's snapshot (an insert, or an update, which may
     * have moved a row to a range read already or still to read). A row deleted since in a range read already stays
     * as that attempt read it. Reads the whole table's row headers (no values): cheaper than reading it again.
     */
    static boolean unchangedSince(Connection c, String table, JsonNode ranges) throws SQLException {
        long xmin = ranges.path("xmin").asLong();
        try (PreparedStatement st = c.prepareStatement("select pg_relation_filenode(?::regclass) = ?, "
                + "txid_snapshot_xmin(txid_current_snapshot()) - ? < 2000000000")) {
            st.setString(1, table);
            st.setLong(2, ranges.path("relfilenode").asLong());
            st.setLong(3, xmin);
            try (ResultSet rs = st.executeQuery()) {
                // too old to compare with a row's 32-bit xmin: changed, for all it can tell
                if (!rs.next() || !rs.getBoolean(1) || !rs.getBoolean(2)) {
                    return false;
                }
            }
        }
        // the age of a row's xmin against the age of that transaction: younger is newer (frozen rows are the oldest)
        try (PreparedStatement st = c.prepareStatement("select not exists (select 1 from " + table
                + " where age(xmin) <= age(cast(? as xid)))")) {
            st.setString(1, Long.toString(xmin & 0xFFFFFFFFL));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** One range's rows: binary COPY, or a cursor when a column's type has no binary decoder. */
    private void readRange(Connection c, ConfiguredStream s, RowData.Layout layout, BinaryCopyReader binary, String sql)
            throws SQLException, InterruptedException {
        if (binary != null) {
            // ranges are numbers: written into the query, as COPY takes no parameters
            copyAll(c, s, layout, binary, sql);
        } else {
            readAll(c, s, layout, sql, List.of());
        }
    }

    /**
     * This transaction's snapshot, for other connections to read in; null when the server cannot export one (a
     * standby before PostgreSQL 10, say): the table is then read by this connection alone.
     */
    private static String exportSnapshot(Connection c) throws SQLException {
        // not in a savepoint: a subtransaction cannot export its snapshot
        try (PreparedStatement st = c.prepareStatement("select pg_export_snapshot()"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            // only catalog queries ran in this transaction: the next one takes its own snapshot
            c.rollback();
            return null;
        }
    }

    /** How many chunks a range's reader may read ahead of the range being handed over. */
    private static final int RANGE_AHEAD = 8;
    /** Ends a range's chunks. */
    private static final List<SourceMessage> RANGE_END = new java.util.ArrayList<>(0);
    /** Where this thread's chunks go while it reads a range for {@link #readRanges}; the queue itself otherwise. */
    private final ThreadLocal<java.util.concurrent.BlockingQueue<List<SourceMessage>>> rangeOutput = new ThreadLocal<>();

    /**
     * The ranges read by the {@code opened} connections at once, each in the snapshot. Each reader puts a
     * range's chunks in that range's own bounded queue; this thread hands the queues over in range order, with a range's
     * state after it when one is due. The first failure stops the readers before their next range and is the one reported.
     */
    private void readRanges(ConfiguredStream s, RowData.Layout layout, String table, String columns, List<String> ranges,
                            long first, long chunk, long[] origin, List<Connection> opened)
            throws SQLException, ConnectorException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.BlockingQueue<List<SourceMessage>>> outputs =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.IntFunction<java.util.concurrent.BlockingQueue<List<SourceMessage>>> output = i ->
                outputs.computeIfAbsent(i, k -> new java.util.concurrent.ArrayBlockingQueue<>(RANGE_AHEAD));
        // a reader takes a range only while fewer than twice as many as there are readers are ahead of the one being
        // handed over: memory holds a few ranges' first chunks, not the table
        java.util.concurrent.Semaphore ahead = new java.util.concurrent.Semaphore(2 * opened.size());
        List<java.util.concurrent.Future<?>> others = new java.util.ArrayList<>();
        for (Connection reader : opened) {
            others.add(rangeReaders.submit(() -> {
                try (Connection other = reader) {
                    BinaryCopyReader binary = BinaryCopyReader.of(other, table, s.fields());
                    while (failure.get() == null) {
                        ahead.acquire();
                        int i = next.getAndIncrement();
                        if (i >= ranges.size()) {
                            break;
                        }
                        java.util.concurrent.BlockingQueue<List<SourceMessage>> out = output.apply(i);
                        rangeOutput.set(out);
                        readRange(other, s, layout, binary, "select " + columns + " from " + table + ranges.get(i));
                        handOver();
                        out.put(RANGE_END);
                    }
                    other.commit();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    rangeOutput.remove();
                }
                return null;
            }));
        }
        try {
            long checkpointed = System.nanoTime();
            for (int i = 0; i < ranges.size(); i++) {
                java.util.concurrent.BlockingQueue<List<SourceMessage>> in = output.apply(i);
                for (List<SourceMessage> c = in.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS); c != RANGE_END;
                     c = in.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (c != null) {
                        chunks.put(c);
                    } else if (failure.get() != null) {
                        throw failure.get();
                    }
                }
                outputs.remove(i);
                ahead.release();
                if (i + 1 < ranges.size() && checkpointDue(checkpointed)) {
                    chunks.put(List.of(rangeState(s, first + i + 1, chunk, origin)));
                    checkpointed = System.nanoTime();
                }
            }
        } catch (SQLException | ConnectorException | InterruptedException | RuntimeException e) {
            failure.compareAndSet(null, e);
            others.forEach(f -> f.cancel(true));
            throw e;
        } catch (Exception e) {
            others.forEach(f -> f.cancel(true));
            throw new IllegalStateException(e);
        }
    }

    /** Rows at or after the saved cursor (inclusive), in cursor order, with a checkpoint every so many rows. */
    private void readIncremental(Connection c, ConfiguredStream s, RowData.Layout layout, String table, String columns,
                                 JsonNode state)
            throws SQLException, ConnectorException, InterruptedException {
        if (s.cursorField().isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "stream " + s.stream().qualifiedName()
                    + " is incremental but has no cursor field");
        }
        String cursor = s.cursorField().getFirst();
        int cursorIndex = -1;
        for (int i = 0; i < s.fields().size(); i++) {
            if (s.fields().get(i).name().equals(cursor)) {
                cursorIndex = i;
            }
        }
        if (cursorIndex < 0) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "cursor field " + cursor + " of stream "
                    + s.stream().qualifiedName() + " is not selected");
        }
        String saved = state != null && state.hasNonNull("cursor") ? state.get("cursor").asText() : null;
        String type;
        try (PreparedStatement st = c.prepareStatement("select format_type(atttypid, atttypmod) from pg_attribute "
                + "where attrelid = ?::regclass and attname = ?")) {
            st.setString(1, table);
            st.setString(2, cursor);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new ConnectorException(ConnectorException.Type.CONFIG, "cursor field " + cursor
                            + " does not exist in " + s.stream().qualifiedName());
                }
                type = rs.getString(1);
            }
        }
        String q = SqlIdentifiers.quote(cursor);
        // the saved cursor cast once, in a sub-select: a bare cast of the text parameter is a stable expression that a
        // sequential scan evaluates again for every row (a cursor without an index read 100,000 rows 2.5x slower)
        String sql = "select " + columns + " from " + table + (saved == null ? ""
                : " where " + q + " >= (select cast(? as " + type + "))")
                + " order by " + q;
        String last = saved;
        long rows = 0;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (saved != null) {
                st.setString(1, saved);
            }
            st.setFetchSize(FETCH);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    emit(record(s, layout, rs));
                    String value = rs.getString(cursorIndex + 1);
                    if (value != null) {
                        last = value;
                    }
                    if (++rows % CHECKPOINT_ROWS == 0) {
                        emit(cursorState(s, last));
                    }
                }
            }
        }
        emit(cursorState(s, last));
    }

    private static SourceMessage.StateMessage cursorState(ConfiguredStream s, String cursor) {
        ObjectNode st = JSON.createObjectNode();
        st.put("cursor", cursor);
        return new SourceMessage.StateMessage(s.stream().namespace(), s.stream().name(), st);
    }

    /** The query's rows through binary COPY, which streams them (see {@link BinaryCopyReader}). */
    private void copyAll(Connection c, ConfiguredStream s, RowData.Layout layout, BinaryCopyReader binary, String sql)
            throws SQLException, InterruptedException {
        org.postgresql.copy.CopyOut out = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                .copyOut("COPY (" + sql + ") TO STDOUT (FORMAT binary)");
        try {
            binary.read(out::readFromCopy, values -> emit(new SourceMessage.RecordMessage(s.stream().namespace(),
                    s.stream().name(), new RowData(layout, values), chunkRead.get())));
            while (out.readFromCopy() != null) {
                // nothing after the trailer but the end of the COPY
            }
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
        }
    }

    private void readAll(Connection c, ConfiguredStream s, RowData.Layout layout, String sql, List<String> args)
            throws SQLException, InterruptedException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                st.setString(i + 1, args.get(i));
            }
            st.setFetchSize(FETCH);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    emit(record(s, layout, rs));
                }
            }
        }
    }

    private SourceMessage.RecordMessage record(ConfiguredStream s, RowData.Layout layout, ResultSet rs) throws SQLException {
        List<Field> fields = s.fields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = PostgresSource.value(rs, i + 1, fields.get(i));
        }
        return new SourceMessage.RecordMessage(s.stream().namespace(), s.stream().name(), new RowData(layout, values),
                chunkRead.get());
    }

    @Override
    public boolean hasNext() {
        try {
            return chunks.hasNext();
        } catch (UncheckedConnectorException e) {
            close();
            throw e;
        }
    }

    @Override
    public SourceMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return chunks.next();
    }

    @Override
    public boolean prefetches() {
        return true;
    }

    @Override
    public void close() {
        chunks.close();
        pool.shutdownNow();
        rangeReaders.shutdownNow();
    }

}
