package dev.syncline.connectors.postgres;

import dev.syncline.connectors.sql.SqlIdentifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.WriteListener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** ELT destination into PostgreSQL: typed tables created and evolved by Syncline, loaded with COPY. */
public final class PostgresDestination implements DestinationConnector {
    public static final String ID = "postgres";
    private static final ObjectNode SPEC = ConfigSchema.of(PostgresDestinationSettings.class);

    private final ConnectorReach reach;

    /** {@code reach}: never Syncline's own databases or addresses. */
    public PostgresDestination(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Postgres", ConnectorKind.DESTINATION_ELT, SPEC.deepCopy());
    }

    @Override
    public Set<DestinationSyncMode> supportedSyncModes() {
        return Set.of(DestinationSyncMode.values());
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        return PostgresConfig.refusals(config, reach);
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            PostgresConfig cfg = ConfigSchema.read(config, PostgresDestinationSettings.class).config(reach);
            try (Connection c = cfg.connect()) {
                // the user must be able to create tables in the default schema (or create the schema)
                try (var st = c.prepareStatement(
                        "select has_database_privilege(current_user, current_database(), 'CREATE') "
                                + "or exists (select 1 from pg_namespace where nspname = ? "
                                + "and has_schema_privilege(current_user, nspname, 'CREATE'))")) {
                    st.setString(1, SqlIdentifiers.normalize(cfg.schema()));
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            return CheckResult.failed("user " + cfg.username() + " cannot create tables in schema "
                                    + cfg.schema() + " of database " + cfg.database());
                        }
                    }
                }
                return CheckResult.ok();
            } catch (SQLException e) {
                return CheckResult.failed(cfg.describe(e));
            }
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener)
            throws ConnectorException {
        PostgresDestinationSettings settings = ConfigSchema.read(config, PostgresDestinationSettings.class);
        return PostgresWriter.open(settings.config(reach), settings.loads(), catalog, listener);
    }

}
