package dev.syncline.sync.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The life of one attempt on its thread, opened before anything else and closed after everything else: while it is
 * open the job beats as running ({@link Heartbeats}) and counts as a running sync ({@link SyncMetrics}); closing it
 * reports the last counts and stops both, whatever failed before. A job left beating would look running for ever and
 * its connection would never sync again, so nothing an attempt does can outlive its scope.
 * <p>
 * It also holds the attempt's counts, its start, whether a cancel was asked for, and when to report: metrics every
 * second, a progress event every {@code progressInterval}.
 */
final class AttemptScope implements AutoCloseable {
    /** How often a running sync adds its counts to the records read/written/rejected counters. */
    static final long METRICS_INTERVAL_NANOS = 1_000_000_000L;

    /** The job was cancelled while it ran. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /** Publishes the counts so far (a SyncProgress event and the attempt's row). */
    @FunctionalInterface
    interface Progress {
        void publish(SyncStats stats, long startNanos) throws Throwable;
    }

    private final long jobId;
    private final Heartbeats heartbeats;
    private final SyncMetrics.Reporter reporter;
    private final AtomicBoolean cancelled;
    private final long progressNanos;
    private final SyncStats stats = new SyncStats();
    private final long startNanos = System.nanoTime();
    private long nextReport = startNanos + METRICS_INTERVAL_NANOS;
    private long nextProgress;
    private Progress progress = (s, t) -> { };

    private AttemptScope(long jobId, Heartbeats heartbeats, SyncMetrics.Reporter reporter, AtomicBoolean cancelled,
                         Duration progressInterval) {
        this.jobId = jobId;
        this.heartbeats = heartbeats;
        this.reporter = reporter;
        this.cancelled = cancelled;
        this.progressNanos = progressInterval.toNanos();
        this.nextProgress = startNanos + progressNanos;
    }

    /** Job {@code jobId} beats and counts as running from here until {@link #close()}. */
    static AttemptScope open(long jobId, Heartbeats heartbeats, SyncMetrics metrics, Duration progressInterval) {
        SyncMetrics.Reporter reporter = metrics.start();
        try {
            return new AttemptScope(jobId, heartbeats, reporter, heartbeats.watch(jobId), progressInterval);
        } catch (RuntimeException | Error e) {
            heartbeats.unwatch(jobId);
            reporter.close();
            throw e;
        }
    }

    /** Where the counts so far go at each progress interval. */
    void onProgress(Progress p) {
        this.progress = p;
    }

    SyncStats stats() {
        return stats;
    }

    /** The request inspector's last {@link #REQUESTS_KEPT} exchanges of this attempt (an API destination's). */
    static final int REQUESTS_KEPT = 200;
    private final java.util.ArrayDeque<dev.syncline.connectors.spi.HttpExchange> requests = new java.util.ArrayDeque<>();

    synchronized void exchanged(dev.syncline.connectors.spi.HttpExchange e) {
        if (requests.size() == REQUESTS_KEPT) {
            requests.removeFirst();
        }
        requests.addLast(e);
    }

    /** The exchanges kept, oldest first, once: a second call answers none. */
    synchronized java.util.List<dev.syncline.connectors.spi.HttpExchange> drainRequests() {
        java.util.List<dev.syncline.connectors.spi.HttpExchange> out = java.util.List.copyOf(requests);
        requests.clear();
        return out;
    }

    /** When the attempt started, as {@link System#nanoTime()}. */
    long startNanos() {
        return startNanos;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Whether a cancel of the job was asked for. */
    boolean cancelRequested() {
        return cancelled.get();
    }

    /** Throws {@link Cancelled} once a cancel of the job was asked for (the heartbeat learns it). */
    void checkCancelled() {
        if (cancelled.get()) {
            throw new Cancelled();
        }
    }

    /** Between two messages: reports the metrics every second and publishes progress at its interval. */
    void tick() throws Throwable {
        long now = System.nanoTime();
        if (now > nextReport) {
            reporter.report(stats);
            nextReport = now + METRICS_INTERVAL_NANOS;
        }
        if (now > nextProgress) {
            progress.publish(stats, startNanos);
            nextProgress = System.nanoTime() + progressNanos;
        }
    }

    @Override
    public void close() {
        try {
            reporter.report(stats);
        } finally {
            try {
                reporter.close();
            } finally {
                heartbeats.unwatch(jobId);
            }
        }
    }
}
