package dev.syncline.schema.discovery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How schema-service runs discoveries ({@code syncline.discovery.*}) and checks ({@code syncline.check.*}); a connector
 * type may have its own timeouts ({@code syncline.connectors.<type>.check-timeout}, {@code ...discover-timeout}).
 */
@ConfigMapping(prefix = "syncline.discovery")
public interface DiscoveryConfig {
    /** How long a discovery may take. */
    @WithDefault("PT5M")
    Duration timeout();

    /**
     * How often pending discoveries are looked for, and how often sources are discovered again: read by the schedules'
     * own expressions ({@link DiscoveryWorker}), declared here so that they are known settings.
     */
    Optional<Duration> pollInterval();

    Optional<Duration> rediscoverInterval();

    /** Checks ({@code syncline.check.*}). */
    @ConfigMapping(prefix = "syncline.check")
    interface Check {
        /** How long a check may take. */
        @WithDefault("PT1M")
        Duration timeout();
    }
}
