package dev.syncline.connectors.sample;

import com.fasterxml.jackson.databind.JsonNode;

/** sample-data's config: {@code seed}, {@code rows} (users), {@code products}, {@code purchases}, {@code malformed_rows}. */
record SampleConfig(long seed, long rows, long products, long purchases, long malformedRows) {
    static final long MAX_ROWS = 100_000_000L;

    static SampleConfig of(JsonNode config) {
        long seed = longField(config, "seed", 42);
        long rows = longField(config, "rows", 100);
        long malformed = longField(config, "malformed_rows", 0);
        long products = longField(config, "products", 50);
        long purchases = longField(config, "purchases", rows);
        String[] names = {"rows", "products", "purchases"};
        long[] values = {rows, products, purchases};
        for (int i = 0; i < names.length; i++) {
            if (values[i] < 0 || values[i] > MAX_ROWS) {
                throw new IllegalArgumentException(names[i] + " must be between 0 and " + MAX_ROWS);
            }
        }
        if (malformed < 0 || malformed > rows) {
            throw new IllegalArgumentException("malformed_rows must be between 0 and rows (" + rows + ")");
        }
        return new SampleConfig(seed, rows, products, purchases, malformed);
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
