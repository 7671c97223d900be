package dev.syncline.connectors.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plumbing every destination's {@link RecordWriter} shares: one {@link Buffer} per stream, a flush whenever a
 * buffer holds its most rows or bytes, flush-then-acknowledge at each checkpoint, and rejections reported to the
 * {@link WriteListener}. A destination implements what is its own:
 * <ol>
 * <li>{@link #append} — called once per record, on the sync's thread, in the order the source emitted them: turn the
 * record into the destination's form in its stream's buffer (return true), or refuse it ({@link #reject}, return
 * false). A refused record is never buffered, so never written.</li>
 * <li>{@link #flush} — called with a non-empty buffer whenever it is full, and for every non-empty buffer at each
 * checkpoint and at {@link #complete()}: write what {@link Buffer#take()} hands over. It may hand the rows to
 * another thread, as long as {@link #persist()} waits for them.</li>
 * <li>{@link #persist} — called once per checkpoint and once at {@code complete()}, after every buffer was flushed:
 * make everything flushed durable (wait for loads in flight, merge staged rows). Only when it returns is the
 * checkpoint acknowledged ({@link WriteListener#checkpointed}).</li>
 * <li>{@link #finish} — called once, at {@code complete()} after the last {@code persist()}: make the sync visible
 * (swap a replacement table in). Not called when the sync is abandoned.</li>
 * <li>{@link #close()} — always called last, completed or not: release what the writer holds, and when it did not
 * complete, leave the destination's final tables as they were.</li>
 * </ol>
 * Every method runs on the one thread that drives the writer. A {@link ConnectorException} of type
 * {@link ConnectorException.Type#TRANSIENT} means the attempt may be retried (the platform resumes from the last
 * acknowledged checkpoint); {@code CONFIG} and {@code SYSTEM} end it.
 *
 * @param <B> the destination's per-stream buffer
 */
public abstract class BufferedWriter<B extends BufferedWriter.Buffer> implements RecordWriter {

    /** One stream's records not yet written, and the limits at which they are. Subclasses add the rows' own form. */
    public static class Buffer {
        private final ConfiguredStream stream;
        // package-private, not private: reached through the type variable B, which private members are not part of
        List<SourceMessage.RecordMessage> records = new ArrayList<>();
        private int maxRows;
        private long maxBytes;

        /** Flushed once it holds {@code maxRows} records or {@link #bytes()} reaches {@code maxBytes}. */
        protected Buffer(ConfiguredStream stream, int maxRows, long maxBytes) {
            this.stream = stream;
            limits(maxRows, maxBytes);
        }

        public final ConfiguredStream stream() {
            return stream;
        }

        /** How many records are buffered. */
        public final int size() {
            return records.size();
        }

        /** The size of the buffered rows in the destination's form, as the destination counts it (0: rows only). */
        protected long bytes() {
            return 0;
        }

        protected final void limits(int maxRows, long maxBytes) {
            this.maxRows = maxRows;
            this.maxBytes = maxBytes;
        }

        /** The buffered records, handed over (not copied): the buffer is empty again. */
        public final List<SourceMessage.RecordMessage> take() {
            List<SourceMessage.RecordMessage> taken = records;
            records = new ArrayList<>(Math.max(16, taken.size())); // the next batch is likely as large
            return taken;
        }

        final boolean full() {
            return records.size() >= maxRows || bytes() >= maxBytes;
        }
    }

    private final WriteListener listener;
    private final Map<String, B> buffers = new LinkedHashMap<>();
    private B last;
    private String lastStream;
    private String lastNamespace;

    protected BufferedWriter(WriteListener listener) {
        this.listener = listener;
    }

    /** Registers the buffer of its stream; records of streams without one fail the sync. */
    protected final B add(B buffer) {
        Stream s = buffer.stream().stream();
        buffers.put(s.qualifiedName(), buffer);
        return buffer;
    }

    /** Every stream's buffer, in the order they were added. */
    protected final Collection<B> buffers() {
        return buffers.values();
    }

    /** The buffer of a stream, or null. */
    protected final B buffer(String namespace, String stream) {
        return buffers.get(namespace == null ? stream : namespace + "." + stream);
    }

    /** Turns {@code record} into a row of {@code buffer}: true once buffered, false when {@link #reject rejected}. */
    protected abstract boolean append(B buffer, SourceMessage.RecordMessage record) throws ConnectorException;

    /** Writes the rows of a non-empty {@code buffer} ({@link Buffer#take()} them). */
    protected abstract void flush(B buffer) throws ConnectorException;

    /** Makes everything flushed so far durable; nothing by default (each flush already is). */
    protected void persist() throws ConnectorException {
    }

    /**
     * Makes everything flushed so far durable at the checkpoint of {@code state}, or at {@code complete()} when it is
     * null: {@link #persist()} by default.
     */
    protected void persist(SourceMessage.StateMessage state) throws ConnectorException {
        persist();
    }

    /** Makes the completed sync visible; nothing by default. */
    protected void finish() throws ConnectorException {
    }

    /** Who is told of rejections and checkpoints. */
    protected final WriteListener listener() {
        return listener;
    }

    /** Reports a record the destination refused. */
    protected final void reject(Rejection rejection) {
        listener.rejected(rejection);
    }

    @Override
    public final void write(SourceMessage.RecordMessage record) throws ConnectorException {
        B b = last;
        if (b == null || record.stream() != lastStream || record.namespace() != lastNamespace) {
            // records of one stream come in runs, with the same name strings: one map lookup per run
            b = buffer(record.namespace(), record.stream());
            last = b;
            lastStream = record.stream();
            lastNamespace = record.namespace();
        }
        if (b == null) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "record of unconfigured stream " + record.stream());
        }
        if (append(b, record)) {
            b.records.add(record);
            if (b.full()) {
                flush(b);
                listener.flushed();
            }
        }
    }

    @Override
    public final void checkpoint(SourceMessage.StateMessage state) throws ConnectorException {
        flushAll();
        persist(state);
        listener.checkpointed(state);
    }

    @Override
    public final void complete() throws ConnectorException {
        flushAll();
        persist(null);
        finish();
    }

    private void flushAll() throws ConnectorException {
        for (B b : buffers.values()) {
            if (b.size() > 0) {
                flush(b);
            }
        }
    }
}
