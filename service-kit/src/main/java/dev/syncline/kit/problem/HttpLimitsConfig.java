package dev.syncline.kit.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Request limits ({@code syncline.http.*}): see {@link RequestLimits}. */
@ConfigMapping(prefix = "syncline.http")
public interface HttpLimitsConfig {
    /** The largest request body accepted, in bytes (Vert.x's {@code quarkus.http.limits.max-body-size} says the same). */
    @WithDefault("4194304")
    long maxBodySize();
}
