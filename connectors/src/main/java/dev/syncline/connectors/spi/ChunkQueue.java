package dev.syncline.connectors.spi;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue of chunks of messages between the threads that read a source and the one thread that takes them:
 * one hand-over (a lock, maybe a wake-up) per chunk, not per message. Producers wait while it is full (backpressure);
 * the taker sees the chunks in order, then the end or the failure a producer reported.
 */
public final class ChunkQueue {
    private static final Object DONE = new Object();

    private final BlockingQueue<Object> queue;
    private volatile boolean closed;
    private Iterator<SourceMessage> current = Collections.emptyIterator();
    private boolean done;

    public ChunkQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands a chunk over, waiting while the queue is full; throws InterruptedException once the queue is closed. */
    public void put(List<SourceMessage> chunk) throws InterruptedException {
        offer(chunk);
    }

    /** The source ended: the taker sees every chunk before this, then the end. */
    public void finish() {
        offerQuietly(DONE);
    }

    /** The source failed: the taker sees every chunk before this, then {@code failure} thrown from {@link #hasNext()}. */
    public void fail(RuntimeException failure) {
        offerQuietly(failure);
    }

    private void offerQuietly(Object o) {
        try {
            offer(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(Object o) throws InterruptedException {
        while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("reader closed");
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** For the taker: waits for the next chunk when the current one is used up. */
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

    public SourceMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Producers waiting on a full queue give up within ~100 ms; what was queued is dropped. */
    public void close() {
        closed = true;
        queue.clear();
    }
}
