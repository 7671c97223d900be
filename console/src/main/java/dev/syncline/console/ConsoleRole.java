package dev.syncline.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The role of the API key a browser signed in with, as connection-service's {@code /me} says it. Resource methods
 * name the roles that may change things by {@link ConsoleRoles}' constants (an annotation needs constants); this type
 * is what the console decides by elsewhere.
 */
enum ConsoleRole {
    ADMIN, EDITOR, VIEWER, SERVICE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether forms that change something are for this role (the services check the key again on every call). */
    boolean mayChange() {
        return this == ADMIN || this == EDITOR;
    }

    static Optional<ConsoleRole> fromWire(String text) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(text)).findFirst();
    }
}
