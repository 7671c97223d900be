package dev.syncline.connectors.spi;

import java.util.Arrays;
import java.util.Optional;

/** How a destination writes a stream. */
public enum DestinationSyncMode {
    OVERWRITE, APPEND, APPEND_DEDUP, OVERWRITE_DEDUP;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<DestinationSyncMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }
}
