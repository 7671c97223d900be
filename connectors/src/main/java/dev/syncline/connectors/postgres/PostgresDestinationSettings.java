package dev.syncline.connectors.postgres;

import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.Setting;

/** The postgres destination's config, declared once: its spec is made from this record. */
@Setting(title = "Postgres")
record PostgresDestinationSettings(
        @Setting(inline = true)
        PostgresLogin login,
        @Setting(title = "Default schema", description = "Tables go here unless the connection says otherwise.", required = true,
                defaultValue = "public", minLength = 1)
        String schema,
        @Setting(title = "Loads at once", description = "Rows of a table that is replaced or appended to are loaded by "
                + "this many COPYs at once, each on its own connection (deduplicated tables load one batch at a time, in "
                + "order). Empty: one per two cores of the machine Syncline runs on, at most 4.", minimum = 1, maximum = 32)
        Integer parallelLoads) {

    PostgresConfig config(ConnectorReach reach) {
        return PostgresConfig.of(login, schema, reach);
    }

    /** The loads at once this config asks for, or the machine's default. */
    int loads() {
        return parallelLoads != null ? parallelLoads : PostgresSourceConfig.defaultParallelism();
    }
}
