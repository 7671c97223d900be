package dev.syncline.connectors.spi;

/**
 * A destination's input for one sync, driven by one thread of the sync engine: records, then checkpoints,
 * then {@link #complete()} once the source is exhausted. {@link #close()} without {@code complete()} abandons
 * the sync and must leave the destination's final tables as they were before it. The call order, how often each
 * method is called and which failure means retry: {@link dev.syncline.connectors.spi the package's documentation};
 * {@link BufferedWriter} implements the plumbing.
 */
public interface RecordWriter extends AutoCloseable {
    /** Called once per record, in the source's order; may buffer it. */
    void write(SourceMessage.RecordMessage record) throws ConnectorException;

    /** Once per source state: make every record written so far durable, then report {@code state} to the listener. */
    void checkpoint(SourceMessage.StateMessage state) throws ConnectorException;

    /** Once, when the sync succeeds: make everything durable and visible (e.g. swap an overwrite's staging table in). */
    void complete() throws ConnectorException;

    /**
     * The streams (qualified names) whose {@link ConfiguredStream#resumeState()} this writer resumed from: what it
     * wrote up to that state in an earlier attempt is still there, and the source reads on from the state. Any other
     * stream starts over. Known once the writer is open; none by default.
     */
    default java.util.Set<String> resumed() {
        return java.util.Set.of();
    }

    @Override
    void close();
}
