package dev.syncline.connectors.spi;

/**
 * Called by a destination's {@link RecordWriter} on the thread that calls the writer: a rejected record
 * as soon as it is refused, a checkpoint once every record before it is durable.
 */
public interface WriteListener {
    void rejected(Rejection rejection);

    void checkpointed(SourceMessage.StateMessage state);

    /**
     * The destination flushed what it buffered: every record written before now is either handed to the destination
     * (written, as far as it tells) or reported {@link #rejected}. Nothing by default.
     */
    default void flushed() { }

    /** An API destination's request and its answer, redacted, for the job's request inspector. Nothing by default. */
    default void exchanged(HttpExchange exchange) { }

    /**
     * Asked by a writer closed without completing: whether another attempt of the sync may follow and resume from
     * what this one wrote ({@link ConfiguredStream#resumeState()}), so that what it wrote is worth keeping. False by
     * default, and once the sync was cancelled or this was its last attempt: the writer then leaves nothing behind.
     */
    default boolean retryMayFollow() {
        return false;
    }
}
