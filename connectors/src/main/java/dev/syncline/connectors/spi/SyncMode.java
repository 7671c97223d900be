package dev.syncline.connectors.spi;

import java.util.Arrays;
import java.util.Optional;

/** How a source reads a stream. */
public enum SyncMode {
    FULL_REFRESH, INCREMENTAL;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<SyncMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }
}
