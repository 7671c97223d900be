package dev.syncline.connectors.spi;

import java.util.Iterator;

/**
 * A source's output, pulled by one thread of the sync engine. Memory stays bounded: the source produces
 * the next message only when asked. {@link #close()} releases connections and may be called early (cancel).
 */
public interface MessageReader extends Iterator<SourceMessage>, AutoCloseable {
    @Override
    void close();

    /**
     * Whether this reader already reads ahead on threads of its own into a bounded buffer: the engine then reads it as
     * it is instead of putting its {@link PrefetchingReader} between it and the destination.
     */
    default boolean prefetches() {
        return false;
    }
}
