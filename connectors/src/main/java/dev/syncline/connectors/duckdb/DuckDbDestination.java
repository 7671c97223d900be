package dev.syncline.connectors.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
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
import dev.syncline.connectors.spi.Setting;
import dev.syncline.connectors.spi.WriteListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * ELT destination into an embedded DuckDB file, with the same semantics as the postgres destination; the file only under
 * the roots an admin opened to connectors.
 */
public final class DuckDbDestination implements DestinationConnector {
    public static final String ID = "duckdb";
    private static final ObjectNode SPEC = ConfigSchema.of(Settings.class);

    private final ConnectorReach reach;

    /** {@code reach}: the database file only under the roots an admin opened to connectors. */
    public DuckDbDestination(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        try {
            reach.file(Settings.of(config).file());
            return List.of();
        } catch (ReachRefused e) {
            return List.of(e.of("path"));
        } catch (ConnectorException e) {
            return List.of(); // no path: the spec's validation says so
        }
    }

    /** The database file and default schema: the config, declared once (its spec is made from it). */
    @Setting(title = "DuckDB", description = "An embedded DuckDB database file: the zero-setup warehouse for a first try.")
    record Settings(
            @Setting(title = "Database file", description = "Created when missing, e.g. /data/warehouse.duckdb; only under the "
                    + "folders an admin opened to connectors (syncline.connectors.files.roots).", required = true, minLength = 1)
            String path,
            @Setting(title = "Default schema", defaultValue = "main", minLength = 1)
            String schema) {

        static Settings of(JsonNode c) throws ConnectorException {
            Settings s = ConfigSchema.read(c, Settings.class);
            if (s.path.contains(";") || s.path.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                // the driver reads "file;option=value" as options of the database (one of them runs a file's SQL)
                throw new ReachRefused(ReachRefused.Part.PATH, "the database file's path may not contain ';' or a control character");
            }
            return s;
        }

        /** The database file, absolute. */
        Path file() {
            return Path.of(path).toAbsolutePath();
        }

        /** Opens the file the guard resolved just now (links and '..' followed, under a root). */
        Connection connect(ConnectorReach reach) throws ConnectorException {
            Path path = file();
            Path file = reach.file(path);
            try {
                Path parent = file.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    throw new ConnectorException(ConnectorException.Type.CONFIG, "folder " + path.getParent() + " does not exist");
                }
                return DriverManager.getConnection("jdbc:duckdb:" + file);
            } catch (SQLException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                throw new ConnectorException(m.contains("lock") ? ConnectorException.Type.TRANSIENT : ConnectorException.Type.CONFIG,
                        "cannot open " + path + ": " + m.lines().findFirst().orElse(m));
            }
        }
    }

    /**
     * A connection to the database file of a duckdb destination's {@code config}, under the same guard as its syncs
     * (for the platform's own writes there, such as a sync log).
     */
    public static Connection open(JsonNode config, ConnectorReach reach) throws ConnectorException {
        return Settings.of(config).connect(reach);
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "DuckDB", ConnectorKind.DESTINATION_ELT, SPEC.deepCopy());
    }

    @Override
    public Set<DestinationSyncMode> supportedSyncModes() {
        return Set.of(DestinationSyncMode.values());
    }

    @Override
    public CheckResult check(JsonNode config) {
        try (Connection c = Settings.of(config).connect(reach)) {
            c.createStatement().execute("select 1");
            return CheckResult.ok();
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        } catch (SQLException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException {
        Settings s = Settings.of(config);
        return DuckDbWriter.open(s, s.connect(reach), catalog, listener);
    }

}
