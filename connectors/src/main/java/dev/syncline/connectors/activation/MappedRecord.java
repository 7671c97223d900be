package dev.syncline.connectors.activation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record mapped onto a destination object's fields, remembering the source record it came from: a destination
 * hands the same map back in a {@link dev.syncline.connectors.spi.Rejection}, so the platform can show the user both
 * what the source emitted and what was sent, without holding a side table of every record in flight.
 */
public final class MappedRecord extends LinkedHashMap<String, Object> {
    private final transient Map<String, Object> source;

    public MappedRecord(Map<String, Object> source) {
        this.source = source;
    }

    /** The record as the source emitted it. */
    public Map<String, Object> source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
