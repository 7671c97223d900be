package dev.syncline.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A connection's status as connection-service reports it ({@code status} of a connection): the console filters by
 * it, shows it, and offers Enable or Disable by it. The wire name is what the API carries.
 */
enum ConnectionStatus {
    ACTIVE, INACTIVE, PAUSED, DEPRECATED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the connection syncs now; an active one is offered Disable, any other Enable. */
    boolean syncs() {
        return this == ACTIVE;
    }

    static Optional<ConnectionStatus> fromWire(String text) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
    }
}
