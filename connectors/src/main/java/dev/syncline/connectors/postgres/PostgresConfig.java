package dev.syncline.connectors.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConnectorException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Connection settings shared by the postgres source and destination, and where they may connect ({@code reach}: never
 * Syncline's own databases).
 */
public record PostgresConfig(String host, int port, String database, String username, String password, String schema,
                             ConnectorReach reach) {

    /** The connection {@code login} describes, with {@code schema} as the default one, where {@code reach} lets it go. */
    public static PostgresConfig of(PostgresLogin login, String schema, ConnectorReach reach) {
        return new PostgresConfig(login.host(), login.port(), login.database(), login.username(),
                login.password() == null ? "" : login.password(), schema, reach);
    }

    /** The settings of {@code c} that point at Syncline's own PostgreSQL databases or addresses (on save). */
    public static List<SettingRefused> refusals(JsonNode c, ConnectorReach reach) {
        PostgresLogin login;
        try {
            login = ConfigSchema.read(c, PostgresLogin.class);
        } catch (ConnectorException e) {
            return List.of(); // incomplete: the spec's validation says what is missing
        }
        try {
            reach.postgres(login.host(), login.port(), login.database());
            return List.of();
        } catch (ReachRefused e) {
            return List.of(e.of(e.part() == ReachRefused.Part.DATABASE ? "database" : "host"));
        } catch (ConnectorException e) {
            return List.of(); // a name that does not resolve now: checked again when it connects
        }
    }

    /**
     * The driver's URL for the checked {@code address}: an IP literal and the database percent-encoded (the driver
     * decodes it), so no part of a user's setting can add driver parameters ({@code ?socketFactory=...}) or hosts.
     */
    static String jdbcUrl(InetAddress address, int port, String database) {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    /**
     * Opens a connection, to the address the guard checked just now (a config saved before a rule existed, or a name
     * that resolves elsewhere today, is refused here); failures become messages a user can act on.
     */
    public Connection connect() throws ConnectorException {
        return connect(new Properties());
    }

    /**
     * The same, bounded: no read waits more than {@code socketTimeoutSeconds}, no statement more than
     * {@code statementTimeoutSeconds}, no lock wait more than {@code lockTimeoutSeconds} (a background writer that one
     * slow or locked database must not hold up).
     */
    public Connection connectBounded(int socketTimeoutSeconds, int statementTimeoutSeconds, int lockTimeoutSeconds)
            throws ConnectorException {
        Properties p = new Properties();
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        p.setProperty("options", "-c statement_timeout=" + statementTimeoutSeconds + "s -c lock_timeout=" + lockTimeoutSeconds + "s");
        return connect(p);
    }

    private Connection connect(Properties p) throws ConnectorException {
        InetAddress address = reach.postgres(host, port, database);
        p.setProperty("user", username);
        p.setProperty("password", password);
        p.setProperty("ApplicationName", "syncline");
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        try {
            return DriverManager.getConnection(jdbcUrl(address, port, database), p);
        } catch (SQLException e) {
            throw new ConnectorException(dev.syncline.connectors.sql.SqlStates.type(e), describe(e));
        }
    }

    /** A message a user can act on: never the driver's stack trace. */
    public String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "28P01", "28000" -> "password authentication failed for user " + username;
            case "3D000" -> "database " + database + " does not exist";
            case "08001", "08004", "08006" -> "host " + host + ":" + port + " unreachable (" + firstLine(e) + ")";
            case "3F000" -> "schema " + schema + " does not exist";
            case "42501" -> "user " + username + " lacks a privilege: " + firstLine(e);
            default -> firstLine(e);
        };
    }

    public static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        // never print the password
        return "PostgresConfig[" + username + "@" + host + ":" + port + "/" + database + ", schema=" + schema + "]";
    }
}
