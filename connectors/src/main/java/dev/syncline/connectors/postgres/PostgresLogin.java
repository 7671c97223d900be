package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.Setting;

/**
 * The settings that say which PostgreSQL server, database and login: declared once for the postgres source, the postgres
 * destination and postgres-table, whose configs hold them at their top level ({@code @Setting(inline = true)}).
 */
public record PostgresLogin(
        @Setting(title = "Host", required = true, minLength = 1, examples = "127.0.0.1")
        String host,
        @Setting(title = "Port", required = true, minimum = 1, maximum = 65535, defaultValue = "5432")
        int port,
        @Setting(title = "Database name", required = true, minLength = 1)
        String database,
        @Setting(title = "User", required = true, minLength = 1)
        String username,
        @Setting(title = "Password", secret = true)
        String password) {

    @Override
    public String toString() {
        // never print the password
        return "PostgresLogin[" + username + "@" + host + ":" + port + "/" + database + "]";
    }
}
