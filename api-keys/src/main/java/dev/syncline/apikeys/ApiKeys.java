package dev.syncline.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys: {@code syk_} and 43 characters of a 256-bit random value. Only their SHA-256 is stored and sent on
 * Kafka (a slow password hash buys nothing for a value no one can guess: there is no dictionary to slow down),
 * and their first 12 characters, the prefix, are what a list shows.
 */
public final class ApiKeys {
    public static final String PREFIX = "syk_";
    public static final int PREFIX_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() { }

    /** A new key: {@value #PREFIX} and 256 random bits, URL-safe base64 (nothing a shell, JSON or a URL must escape). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the key: what is stored and compared. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The key's first {@value #PREFIX_LENGTH} characters: what a list of keys shows instead of the key. */
    public static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }

    /** Constant-time comparison of two hashes. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
