package dev.syncline.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The API keys tests call the services with: an admin key (what the launcher makes on first start) and the services'
 * own credential, both random per test JVM. Services are given only their SHA-256.
 */
public final class TestKeys {
    /** The first admin key. */
    public static final String ADMIN = SecretKeys.apiKey();
    /** The credential services and the console's background calls carry. */
    public static final String SERVICE = SecretKeys.apiKey();

    private TestKeys() { }

    /** Hex SHA-256, as the services compare keys. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
