package dev.syncline.testing;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random keys: an AES-256 key for {@code syncline.secrets.key}, and API keys in Syncline's own form. */
public final class SecretKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() { }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** An API key: {@code syk_} and 43 characters of a 256-bit random value (as service-kit's ApiKeys makes them). */
    public static String apiKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "syk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }
}
