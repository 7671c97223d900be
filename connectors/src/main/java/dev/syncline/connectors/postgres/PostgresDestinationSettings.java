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
        String schema) {

    PostgresConfig config(ConnectorReach reach) {
        return PostgresConfig.of(login, schema, reach);
    }
}
