package dev.syncline.connectors.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded buffer between a source and the destination: a thread of its own pulls the source's messages into a
 * queue of at most {@code capacity} chunks while the engine's thread maps and writes the ones before them, so reading
 * and writing overlap. Memory stays flat: when the writer is behind, the reading thread waits (backpressure), and a
 * source never gets more than {@code capacity × chunk} messages ahead. A failure of the source reaches the engine
 * after every message read before it, as it would have without the buffer.
 */
public final class PrefetchingReader implements MessageReader {
    public static final int DEFAULT_CAPACITY = 16;
    public static final int DEFAULT_CHUNK = 500;

    private final MessageReader source;
    private final int chunk;
    private final ChunkQueue chunks;
    private final Thread thread;

    /** Wraps {@code source}, unless it buffers ahead of its reader itself already ({@link MessageReader#prefetches()}). */
    public static MessageReader wrap(MessageReader source) {
        return source.prefetches() ? source : new PrefetchingReader(source, DEFAULT_CAPACITY, DEFAULT_CHUNK);
    }

    public PrefetchingReader(MessageReader source, int capacity, int chunk) {
        if (capacity < 1 || chunk < 1) {
            throw new IllegalArgumentException("capacity and chunk must be at least 1");
        }
        this.source = source;
        this.chunk = chunk;
        this.chunks = new ChunkQueue(capacity);
        this.thread = Thread.ofPlatform().daemon().name("source-prefetch").start(this::pull);
    }

    private void pull() {
        List<SourceMessage> batch = new ArrayList<>(chunk);
        try {
            while (!chunks.isClosed() && source.hasNext()) {
                SourceMessage m = source.next();
                batch.add(m);
                // a state goes at once, with the records before it: the writer checkpoints when it arrives
                if (batch.size() >= chunk || m instanceof SourceMessage.StateMessage) {
                    chunks.put(batch);
                    batch = new ArrayList<>(chunk);
                }
            }
            if (!batch.isEmpty()) {
                chunks.put(batch);
            }
            chunks.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!chunks.isClosed()) {
                try {
                    if (!batch.isEmpty()) {
                        chunks.put(batch);
                    }
                    chunks.fail(e);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public boolean hasNext() {
        return chunks.hasNext();
    }

    @Override
    public SourceMessage next() {
        return chunks.next();
    }

    @Override
    public boolean prefetches() {
        return true;
    }

    /** Stops the reading thread (within ~100 ms if it waits on a full buffer) and closes the source. */
    @Override
    public void close() {
        chunks.close();
        thread.interrupt();
        try {
            thread.join(1_000);
            source.close(); // a read blocked on the source's connection ends with it
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.close();
        }
    }
}
