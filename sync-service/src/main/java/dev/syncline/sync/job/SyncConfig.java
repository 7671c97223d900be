package dev.syncline.sync.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * sync-service's own settings ({@code syncline.sync.*}), declared once with their defaults; application.properties
 * sets the values the service ships with, and each can be overridden as usual (e.g. {@code SYNCLINE_SYNC_MAX_ATTEMPTS}).
 * The {@code syncline.schedules.*} and {@code syncline.connectors.*} settings are service-kit's.
 */
@ConfigMapping(prefix = "syncline.sync")
public interface SyncConfig {
    /** At most this many syncs run at once on one instance (connectors block: each has its own thread). */
    @WithDefault("4")
    int maxConcurrent();

    /** How often an instance looks for runnable jobs (read by {@code JobRunner}'s schedule). */
    @WithDefault("1s")
    String pollInterval();

    /** How often running jobs of stopped instances are looked for (read by {@code JobRunner}'s schedule). */
    @WithDefault("5s")
    String takeoverInterval();

    /** How often schedules are looked at (read by {@code ScheduleRunner}'s schedule). */
    @WithDefault("1s")
    String scheduleTick();

    /**
     * How many pending writes (a rejected record is two: its share of a RecordsRejected event and its rejected_retry
     * row) go to the database per transaction.
     */
    @WithDefault("5000")
    int rejectionBatch();

    /** How often a running sync publishes SyncProgress and stores its counts so far. */
    @WithDefault("PT5S")
    Duration progressInterval();

    /** Attempts of a job, the first included; only a retryable failure gets another. */
    @WithDefault("3")
    int maxAttempts();

    /** The wait before the second attempt; ×3 for each next one. */
    @WithDefault("PT10S")
    Duration retryBackoff();

    @WithDefault("PT30M")
    Duration retryBackoffMax();

    /** After this many failed jobs in a row, SyncFailed asks connection-service to pause the connection. */
    @WithDefault("30")
    int maxConsecutiveFailures();

    /** How often the jobs running here beat (and learn of a cancel). */
    @WithDefault("PT1S")
    Duration heartbeatInterval();

    /** A running job whose heartbeat is older than this is taken over. */
    @WithDefault("PT15S")
    Duration staleAfter();

    /** How often the sync-log writer looks for batches to write (read by {@code SyncLogWriter}'s schedule). */
    @WithDefault("1s")
    String syncLogTick();

    /** The wait before a sync-log batch that could not be written is tried again; doubled each time, up to 5 minutes. */
    @WithDefault("PT5S")
    Duration syncLogBackoff();
}
