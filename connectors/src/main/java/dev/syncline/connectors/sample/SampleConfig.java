package dev.syncline.connectors.sample;

import dev.syncline.connectors.spi.Setting;

/** sample-data's config, declared once: its spec is made from this record ({@link dev.syncline.connectors.spi.ConfigSchema}). */
@Setting(title = "Sample Data")
record SampleConfig(
        @Setting(title = "Seed", description = "The same seed always produces the same rows.", defaultValue = "42")
        long seed,
        @Setting(title = "Users", description = "Number of rows of the users stream.", minimum = 0, maximum = SampleConfig.MAX_ROWS,
                defaultValue = "100")
        long rows,
        @Setting(title = "Products", description = "Number of rows of the products stream.", minimum = 0, maximum = SampleConfig.MAX_ROWS,
                defaultValue = "50")
        long products,
        @Setting(title = "Purchases", description = "Number of rows of the purchases stream (default: as many as users).",
                minimum = 0, maximum = SampleConfig.MAX_ROWS)
        Long purchases,
        @Setting(title = "Malformed rows", description = "How many users are malformed (a null id, or text in age), spread evenly.",
                minimum = 0, defaultValue = "0")
        long malformedRows) {
    static final long MAX_ROWS = 100_000_000L;

    SampleConfig {
        if (purchases == null) {
            purchases = rows;
        }
        if (malformedRows > rows) {
            throw new IllegalArgumentException("malformed_rows must be between 0 and rows (" + rows + ")");
        }
    }
}
