package dev.syncline.testing;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh random keys: an AES-256 key for {@code syncline.secrets.key}, API keys in Syncline's own form, passwords. */
public final class SecretKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretKeys() { }

    public static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Hex SHA-256 of an API key: what services are given and compare (service-kit's ApiKeys.hash). */
    public static String apiKeyHash(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A database password: 256 random bits, URL-safe base64 (no character a shell, JSON or a URL must escape). */
    public static String password() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** An API key: {@code syk_} and 43 characters of a 256-bit random value (as service-kit's ApiKeys makes them). */
    public static String apiKey() {
        return "syk_" + password();
    }
}
