package dev.syncline.testing;

import java.security.SecureRandom;
import java.util.Base64;

/** A fresh AES-256 key, base64: what {@code syncline.secrets.key} takes. */
public final class SecretKeys {
    private SecretKeys() { }

    public static String generate() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
