package dev.syncline.connectors.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

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

    private static final Object DONE = new Object();

    private final MessageReader source;
    private final int chunk;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private Iterator<SourceMessage> current = Collections.emptyIterator();
    private boolean done;

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
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name("source-prefetch").start(this::pull);
    }

    private void pull() {
        List<SourceMessage> batch = new ArrayList<>(chunk);
        try {
            while (!closed && source.hasNext()) {
                SourceMessage m = source.next();
                batch.add(m);
                // a state goes at once, with the records before it: the writer checkpoints when it arrives
                if (batch.size() >= chunk || m instanceof SourceMessage.StateMessage) {
                    put(batch);
                    batch = new ArrayList<>(chunk);
                }
            }
            if (!batch.isEmpty()) {
                put(batch);
            }
            put(DONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                try {
                    if (!batch.isEmpty()) {
                        put(batch);
                    }
                    put(e);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void put(Object o) throws InterruptedException {
        while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("reader closed");
            }
        }
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (done) {
                return false;
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedConnectorException(new ConnectorException(ConnectorException.Type.TRANSIENT, "interrupted"));
            }
            if (next == DONE) {
                done = true;
                return false;
            }
            if (next instanceof RuntimeException e) {
                done = true;
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<SourceMessage> messages = (List<SourceMessage>) next;
            current = messages.iterator();
        }
        return true;
    }

    @Override
    public SourceMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public boolean prefetches() {
        return true;
    }

    /** Stops the reading thread (within ~100 ms if it waits on a full buffer) and closes the source. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
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
