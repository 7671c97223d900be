package dev.syncline.connection.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How notifications are delivered ({@code syncline.notifications.*}). */
@ConfigMapping(prefix = "syncline.notifications")
public interface NotificationsConfig {
    /** How often due deliveries are looked for. */
    @WithDefault("1s")
    Duration tick();

    /** The wait before the first retry; it doubles at each failed attempt, up to {@link #maxBackoff()}. */
    @WithDefault("5s")
    Duration firstBackoff();

    @WithDefault("30m")
    Duration maxBackoff();

    /** Attempts before a delivery is given up (failed, in the delivery log). */
    @WithDefault("8")
    int maxAttempts();

    /** How long one request may take. */
    @WithDefault("10s")
    Duration timeout();
}
