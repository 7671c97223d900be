package dev.syncline.connectors.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a destination writes a stream. */
public enum DestinationSyncMode {
    OVERWRITE, APPEND, APPEND_DEDUP, OVERWRITE_DEDUP;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static DestinationSyncMode fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown value '" + name + "'"));
    }

    public static Optional<DestinationSyncMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }
}
