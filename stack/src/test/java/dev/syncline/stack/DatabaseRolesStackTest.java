package dev.syncline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.infra.DatabaseLogin;
import dev.syncline.infra.Infrastructure;
import dev.syncline.infra.PostgresServer;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stack's PostgreSQL as the launcher sets it up: no login without its generated password, each service (and the
 * registry) in its own database as its own role, the walkthrough's warehouse user in the warehouse only.
 */
@ExtendWith(SharedStack.class)
class DatabaseRolesStackTest {
    static final List<String> PLATFORM = List.of("connection", "schema", "sync", "rejects", Infrastructure.REGISTRY_DATABASE);

    static PostgresServer pg() {
        return SharedStack.stack().infrastructure().postgres();
    }

    static String one(Connection c, String query) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void refused(String database, DatabaseLogin login) {
        assertThatThrownBy(() -> pg().connect(database, login).close()).as(login.user() + " on " + database)
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database")
                .hasMessageContaining("User does not have CONNECT privilege");
    }

    @Test
    void theReadmesOldSuperuserLoginIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(pg().jdbcUrl("postgres"), "postgres", "postgres").close())
                .hasMessageContaining("password authentication failed for user \"postgres\"");
        assertThatThrownBy(() -> DriverManager.getConnection(pg().jdbcUrl(Stack.WAREHOUSE), "postgres", "postgres").close())
                .hasMessageContaining("password authentication failed for user \"postgres\"");
    }

    @Test
    void eachServiceAndTheRegistryWorkInTheirOwnDatabaseAsTheirOwnRole() throws Exception {
        try (Connection su = pg().connect("postgres");
             PreparedStatement q = su.prepareStatement("select coalesce(string_agg(distinct usename, ','), '') "
                     + "from pg_stat_activity where datname = ?")) {
            for (Service s : Service.values()) {
                if (s.database() == null) {
                    continue;
                }
                q.setString(1, s.database());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as("who works in " + s.database()).isEqualTo(s.role());
                }
            }
            q.setString(1, Infrastructure.REGISTRY_DATABASE);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(Infrastructure.REGISTRY_ROLE);
            }
        }
        for (Service s : Service.values()) {
            if (s.database() == null) {
                continue;
            }
            DatabaseLogin login = pg().login(s.role());
            try (Connection c = pg().connect(s.database(), login)) {
                assertThat(one(c, "select rolsuper::text || rolcreatedb::text || rolcreaterole::text from pg_roles "
                        + "where rolname = current_user")).isEqualTo("falsefalsefalse");
                // what the service commits is durable once acknowledged
                assertThat(one(c, "show synchronous_commit")).isEqualTo("on");
                assertThat(one(c, "select count(*) from pg_tables where schemaname = 'public' and tableowner <> current_user"))
                        .as("tables of " + s.database() + " owned by someone else").isEqualTo("0");
            }
            List<String> others = new ArrayList<>(PLATFORM);
            others.remove(s.database());
            others.addAll(List.of(Stack.WAREHOUSE, "postgres", "template1"));
            others.forEach(db -> refused(db, login));
        }
    }

    @Test
    void theWarehouseUserReachesTheWarehouseOnly() throws Exception {
        Stack stack = SharedStack.stack();
        DatabaseLogin warehouse = stack.warehouse();
        assertThat(warehouse.user()).isEqualTo("warehouse");
        try (Connection c = pg().connect(Stack.WAREHOUSE, warehouse)) {
            assertThat(one(c, "select rolsuper from pg_roles where rolname = current_user")).isEqualTo("f");
            c.createStatement().execute("create schema if not exists roles_test");
        }
        for (String db : PLATFORM) {
            refused(db, warehouse);
        }
        refused("postgres", warehouse);
        // ./syncline env hands it to the walkthrough, its password read from its owner-only file when evaluated
        String env = stack.environmentExports();
        var passwordFile = Stack.passwordFile(stack.dir(), "warehouse");
        assertThat(env).contains("export WAREHOUSE_USER=warehouse\n",
                "export WAREHOUSE_PASSWORD=\"$(cat '" + passwordFile.toAbsolutePath() + "')\"\n").doesNotContain(warehouse.password());
        assertThat(Files.readString(passwordFile).trim()).isEqualTo(warehouse.password());
        assertThat(Files.getPosixFilePermissions(passwordFile))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        // the table the launcher prints names no password, and the superuser nowhere
        assertThat(stack.table()).doesNotContain(pg().password(), warehouse.password(), "postgres / postgres", "user postgres");
    }
}
