package dev.syncline.connectors.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a source reads a stream. */
public enum SyncMode {
    FULL_REFRESH, INCREMENTAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static SyncMode fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown value '" + name + "'"));
    }

    public static Optional<SyncMode> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }
}
