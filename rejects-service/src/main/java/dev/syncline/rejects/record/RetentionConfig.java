package dev.syncline.rejects.record;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long rejected records are kept ({@code syncline.rejects.*}): see {@link Retention}. */
@ConfigMapping(prefix = "syncline.rejects")
public interface RetentionConfig {
    /** A rejected record older than this many days is purged. */
    @WithDefault("30")
    int retentionDays();

    /** How often the purge runs (and once at start). */
    @WithDefault("PT1H")
    Duration purgeInterval();
}
