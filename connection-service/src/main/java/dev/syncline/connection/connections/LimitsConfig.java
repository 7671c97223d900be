package dev.syncline.connection.connections;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** connection-service's limits ({@code syncline.limits.*}). */
@ConfigMapping(prefix = "syncline.limits")
public interface LimitsConfig {
    /** At most this many connections read from one source (each sync reads it again). */
    @WithDefault("100")
    long connectionsPerSource();
}
