package dev.syncline.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The outbox relay's settings ({@code syncline.outbox.*}). */
@ConfigMapping(prefix = "syncline.outbox")
public interface OutboxConfig {
    /** Events read from the outbox at once. */
    @WithDefault("1000")
    int batchSize();

    /** How long the broker may take to acknowledge a batch. */
    @WithDefault("PT30S")
    Duration sendTimeout();

    /**
     * How often the relay looks in the seconds after this process wrote an event (Quarkus' scheduler runs at most once a
     * second). Each hop of "sync now" (connection-service, then sync-service) waits up to this long: 25 ms keeps a sync of
     * nearly nothing under 0.3 s end to end, for a short transaction (a lock try and a select) per tick while busy.
     */
    @WithDefault("PT0.025S")
    Duration interval();

    /**
     * How often the relay looks when this process wrote nothing lately (events another instance of the service left,
     * or left before a restart). Looking every tick costs four statements 40 times a second for nothing.
     */
    @WithDefault("PT2S")
    Duration idleInterval();

    /** A batch holds at most this many bytes of payloads (a RecordsRejected event is ~200 kB). */
    @WithDefault("16777216")
    long maxBatchBytes();
}
