package dev.syncline.connectors.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How an activation destination puts a record into an object. */
public enum InsertionMethod {
    INSERT, UPDATE, UPSERT, SOFT_DELETE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    static InsertionMethod fromJson(String name) {
        return fromWireName(name).orElseThrow(() -> new IllegalArgumentException("unknown value '" + name + "'"));
    }

    public static Optional<InsertionMethod> fromWireName(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(name)).findFirst();
    }

    /** Whether records must be matched to existing ones by a key. */
    public boolean needsMatchingKey() {
        return this != INSERT;
    }
}
