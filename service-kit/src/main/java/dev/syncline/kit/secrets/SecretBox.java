package dev.syncline.kit.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secret config values (AES-256-GCM, key from {@code syncline.secrets.key}) as {@code enc:v1:<base64>},
 * the form they take at rest and on Kafka. Every service that needs a secret in clear shares the key.
 */
@ApplicationScoped
public class SecretBox {
    public static final String PREFIX = "enc:v1:";
    public static final String MASK = "**********";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    @Inject
    public SecretBox(SecretsConfig config) {
        this(config.key());
    }

    /** With the base64 key itself (tests that encrypt as a service would). */
    public SecretBox(String base64Key) {
        byte[] raw = Base64.getDecoder().decode(base64Key.trim());
        if (raw.length != 32) {
            throw new IllegalArgumentException("syncline.secrets.key must be 32 bytes, base64-encoded (got " + raw.length + ")");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String encrypt(String clear) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = c.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt: " + e.getMessage(), e);
        }
    }

    public String decrypt(String value) {
        if (!isEncrypted(value)) {
            return value;
        }
        try {
            byte[] all = Base64.getDecoder().decode(value.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt a secret: wrong syncline.secrets.key?", e);
        }
    }

    /** A copy of {@code config} with the values at {@code pointers} encrypted (already-encrypted ones kept). */
    public ObjectNode encryptAt(ObjectNode config, List<String> pointers) {
        ObjectNode copy = config.deepCopy();
        for (String p : pointers) {
            replace(copy, p, v -> isEncrypted(v) ? v : encrypt(v));
        }
        return copy;
    }

    /** A copy of {@code config} with the values at {@code pointers} replaced by {@link #MASK}: what an API returns. */
    public static ObjectNode maskAt(ObjectNode config, List<String> pointers) {
        ObjectNode copy = config.deepCopy();
        for (String p : pointers) {
            replace(copy, p, v -> MASK);
        }
        return copy;
    }

    /** A copy of {@code config} with every encrypted value, wherever it is, in clear: only for a connector. */
    public ObjectNode decryptAll(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        decryptIn(copy);
        return copy;
    }

    private void decryptIn(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isTextual() && isEncrypted(e.getValue().asText())) {
                    o.set(e.getKey(), TextNode.valueOf(decrypt(e.getValue().asText())));
                } else {
                    decryptIn(e.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(this::decryptIn);
        }
    }

    private static void replace(ObjectNode root, String pointer, java.util.function.UnaryOperator<String> f) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash <= 0 ? root : root.at(pointer.substring(0, slash));
        String name = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode o && o.hasNonNull(name) && o.get(name).isValueNode()) {
            o.set(name, TextNode.valueOf(f.apply(o.get(name).asText())));
        }
    }
}
