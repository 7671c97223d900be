package dev.syncline.sync.job;

import java.time.Duration;

/**
 * When a failed attempt is retried and when failures pause a connection: a retryable failure (transient or system,
 * never config) gets another attempt after {@code firstBackoff}, ×3 each time up to {@code maxBackoff}, until
 * {@code maxAttempts}; after {@code maxConsecutiveFailures} failed jobs in a row the connection is paused.
 */
record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, int maxConsecutiveFailures) {

    static RetryPolicy of(SyncConfig c) {
        return new RetryPolicy(c.maxAttempts(), c.retryBackoff(), c.retryBackoffMax(), c.maxConsecutiveFailures());
    }

    /** How long until the next attempt after {@code attempt} failed with {@code f}; null when there is none. */
    Duration retryIn(AttemptFailure f, int attempt, boolean cancelRequested) {
        boolean retry = f.retryable() && attempt < maxAttempts && !cancelRequested;
        return retry ? backoff(attempt) : null;
    }

    /** Backoff before attempt {@code attempt + 1}: first, ×3 each time, capped. */
    Duration backoff(int attempt) {
        Duration d = firstBackoff;
        for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(3);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** Whether a connection that failed this many jobs in a row is paused. */
    boolean pauses(int consecutiveFailures) {
        return consecutiveFailures >= maxConsecutiveFailures;
    }
}
