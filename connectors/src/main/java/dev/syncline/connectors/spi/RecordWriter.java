package dev.syncline.connectors.spi;

/**
 * A destination's input for one sync, driven by one thread of the sync engine: records, then checkpoints,
 * then {@link #complete()} once the source is exhausted. {@link #close()} without {@code complete()} abandons
 * the sync and must leave the destination's final tables as they were before it.
 */
public interface RecordWriter extends AutoCloseable {
    void write(SourceMessage.RecordMessage record) throws ConnectorException;

    /** Make every record written so far durable, then report {@code state} to the listener. */
    void checkpoint(SourceMessage.StateMessage state) throws ConnectorException;

    /** Make everything durable and visible (e.g. swap an overwrite's staging table in). */
    void complete() throws ConnectorException;

    @Override
    void close();
}
