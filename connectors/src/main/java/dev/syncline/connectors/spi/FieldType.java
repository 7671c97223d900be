package dev.syncline.connectors.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Syncline's types: every source maps its own types onto these, every destination maps these onto its own. */
public enum FieldType {
    STRING, BOOLEAN, INTEGER, NUMBER, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, OBJECT, ARRAY, BINARY;

    /** The name in APIs and events: lower case, e.g. {@code timestamp_tz}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static FieldType fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown value '" + name + "'"));
    }

    public static Optional<FieldType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
