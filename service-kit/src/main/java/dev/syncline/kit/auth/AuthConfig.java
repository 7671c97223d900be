package dev.syncline.kit.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * API keys' settings ({@code syncline.auth.*}). The launcher passes the first admin key and the services' own credential
 * by their SHA-256 ({@code SYNCLINE_ADMIN_KEY_HASH}, {@code SYNCLINE_SERVICE_KEY_HASH}).
 */
@ConfigMapping(prefix = "syncline.auth")
public interface AuthConfig {
    /** The first admin key's hash: valid until a row of api_key says it was revoked. */
    Optional<String> adminKeyHash();

    /** The first admin key's prefix, as connection-service records it ({@code SYNCLINE_ADMIN_KEY_PREFIX}). */
    @WithDefault("syk_")
    String adminKeyPrefix();

    /** The services' own credential's hash (the console's reads). */
    Optional<String> serviceKeyHash();

    /** Failed sign-ins with keys of one prefix from one address before further ones are refused ({@link FailedSignIns}). */
    @WithDefault("10")
    int maxFailures();

    /** How long those failures count, from the first. */
    @WithDefault("PT1M")
    Duration failureWindow();
}
