package dev.syncline.connectors.sample;

import com.fasterxml.jackson.databind.JsonNode;

/** sample-data's config: {@code seed}, {@code rows} (users), {@code malformed_rows}. */
record SampleConfig(long seed, long rows, long malformedRows) {
    static final long MAX_ROWS = 100_000_000L;

    static SampleConfig of(JsonNode config) {
        long seed = longField(config, "seed", 42);
        long rows = longField(config, "rows", 100);
        long malformed = longField(config, "malformed_rows", 0);
        if (rows < 0 || rows > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be between 0 and " + MAX_ROWS);
        }
        if (malformed < 0 || malformed > rows) {
            throw new IllegalArgumentException("malformed_rows must be between 0 and rows (" + rows + ")");
        }
        return new SampleConfig(seed, rows, malformed);
    }

    private static long longField(JsonNode config, String name, long dflt) {
        JsonNode v = config == null ? null : config.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
        return v.asLong();
    }
}
