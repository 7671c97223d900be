package dev.syncline.kit.secrets;

import io.smallrye.config.ConfigMapping;

/** Secrets' settings ({@code syncline.secrets.*}). */
@ConfigMapping(prefix = "syncline.secrets")
public interface SecretsConfig {
    /** The AES-256 key every service that needs a secret in clear shares: 32 bytes, base64 ({@code SYNCLINE_SECRETS_KEY}). */
    String key();
}
