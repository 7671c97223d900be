package dev.syncline.connection.streams;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The seed's question "how should Syncline sync your data?": keep an up-to-date copy, or keep history. */
public enum SyncModePreset {
    /** Keep an up-to-date copy of the source. */
    REPLICATE_SOURCE,
    /** Append historical changes. */
    APPEND_HISTORY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static SyncModePreset fromJson(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown preset '" + name + "'"));
    }
}
