package dev.syncline.kit.auth;

import java.util.Locale;

/**
 * What an API key may do. Every REST endpoint of every service is covered by {@link #allows}: reads by any role,
 * changes by {@code admin} and {@code editor}, API keys by {@code admin} only.
 */
public enum Role {
    /** Everything, and manages API keys. */
    ADMIN,
    /** Sources, destinations, connections, syncs, rejected records: reads and changes; not API keys. */
    EDITOR,
    /** Reads only, and never a config's secret fields. */
    VIEWER,
    /** The credential services and the console's own background calls carry: reads only, like a viewer. */
    SERVICE;

    public static Role parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may call {@code method} on {@code path} (the request's path, without the query). */
    public boolean allows(String method, String path) {
        if (this == ADMIN) {
            return true;
        }
        if (path.equals("/api-keys") || path.startsWith("/api-keys/")) {
            return false;
        }
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> this == EDITOR;
        };
    }

    /** Whether this role sees that a config has secret fields at all (masked); viewers never do. */
    public boolean seesSecretFields() {
        return this == ADMIN || this == EDITOR;
    }
}
