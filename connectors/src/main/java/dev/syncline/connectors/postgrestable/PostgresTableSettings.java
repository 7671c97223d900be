package dev.syncline.connectors.postgrestable;

import dev.syncline.connectors.postgres.PostgresConfig;
import dev.syncline.connectors.postgres.PostgresLogin;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.Setting;

/** postgres-table's config, declared once: its spec is made from this record. */
@Setting(title = "Postgres table (data activation)", description = "The existing tables of an application's schema as objects "
        + "with a strict schema: records are inserted, updated, upserted or soft-deleted; a record a table refuses is rejected, "
        + "the others are written.")
record PostgresTableSettings(
        @Setting(inline = true)
        PostgresLogin login,
        @Setting(title = "Schema", description = "Its tables are the objects.", defaultValue = "public", minLength = 1)
        String schema,
        @Setting(title = "Soft-delete column", description = "A boolean or timestamp column that marks a row deleted; tables "
                + "having it offer soft_delete.")
        String softDeleteColumn) {

    PostgresConfig config(ConnectorReach reach) {
        return PostgresConfig.of(login, schema, reach);
    }

    /** The soft-delete column, or "" when the tables have none. */
    String softDelete() {
        return softDeleteColumn == null ? "" : softDeleteColumn;
    }
}
