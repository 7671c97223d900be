package dev.syncline.infra;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random keys: an AES-256 key for {@code syncline.secrets.key}, database passwords (API keys: {@code ApiKeys}). */
public final class SecretKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() { }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A database password: 256 random bits, URL-safe base64 (no character a shell, JSON or a URL must escape). */
    public static String password() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
