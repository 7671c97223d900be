package dev.syncline.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform's PostgreSQL: every login needs its generated password, and a database's own role reaches that
 * database only, as no superuser. One server for the class; the upgrade of an old data folder starts its own.
 */
class DatabaseRolesTest {
    static Path dir;
    static PostgresServer pg;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "roles-test-");
        pg = PostgresServer.start(dir.resolve("pg"), FreePorts.pick(), false);
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
        Directories.delete(dir);
    }

    static Connection login(PostgresServer server, String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(database), user, password);
    }

    static String one(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theSuperuserLogsInWithItsGeneratedPasswordOnlyNeverPostgresPostgres() throws Exception {
        assertThatThrownBy(() -> login(pg, "postgres", "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> login(pg, "postgres", "postgres", "").close()).isInstanceOf(SQLException.class);
        try (Connection c = login(pg, "postgres", PostgresServer.USER, pg.password())) {
            assertThat(one(c, "select rolsuper from pg_roles where rolname = current_user")).isEqualTo("t");
        }
        assertThat(pg.password()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo("postgres");
        // kept owner-only next to the data
        assertThat(Files.getPosixFilePermissions(PostgresServer.logins(dir.resolve("pg")).file(PostgresServer.USER)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aDatabasesRoleReachesThatDatabaseOnlyAndIsNoSuperuser() throws Exception {
        DatabaseLogin a = pg.ownDatabase("service_a", "service_a");
        DatabaseLogin b = pg.ownDatabase("service_b", "service_b");
        pg.createDatabase("someone_elses");
        assertThat(a.password()).isNotEqualTo(b.password());
        try (Connection c = pg.connect("service_a", a); Statement st = c.createStatement()) {
            // it migrates its own database: tables, schemas
            st.execute("create table t (id bigint generated always as identity primary key, v text)");
            st.execute("create schema extra");
            st.execute("insert into t (v) values ('x')");
            assertThat(one(c, "select rolsuper::text || rolcreatedb::text || rolcreaterole::text || rolreplication::text "
                    + "|| rolbypassrls::text from pg_roles where rolname = current_user")).isEqualTo("falsefalsefalsefalsefalse");
            for (String forbidden : new String[] {"create database stolen", "create role intruder",
                    "create role intruder superuser", "alter role service_a superuser", "alter role service_a createdb"}) {
                assertThatThrownBy(() -> st.execute(forbidden)).as(forbidden).isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501"); // insufficient_privilege
            }
        }
        for (String other : new String[] {"service_b", "someone_elses", "postgres", "template1"}) {
            assertThatThrownBy(() -> pg.connect(other, a).close()).as(other)
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
        }
        // a wrong password, or another role's, is refused
        assertThatThrownBy(() -> login(pg, "service_a", "service_a", b.password()).close())
                .hasMessageContaining("password authentication failed");
        // repeated at every start: same password, same rights, the data kept
        assertThat(pg.ownDatabase("service_a", "service_a")).isEqualTo(a);
        try (Connection c = pg.connect("service_a", a)) {
            assertThat(one(c, "select count(*) from t")).isEqualTo("1");
        }
    }

    @Test
    void aServicesConnectionCommitsSynchronously() throws Exception {
        DatabaseLogin svc = pg.ownDatabase("durable", "durable");
        try (Connection c = pg.connect("durable", svc)) {
            assertThat(one(c, "show synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void aDataFolderOfAnEarlierVersionTrustingEveryoneIsUpgradedAndItsObjectsGivenToTheRole() throws Exception {
        Path old = dir.resolve("old");
        int port = FreePorts.pick();
        Files.createDirectories(old.resolve("bin")); // its socket's folder (zonky unpacks its binaries once per JVM)
        // what earlier versions made: zonky's initdb -A trust, every object owned by the superuser
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setOverrideWorkingDirectory(old.resolve("bin").toFile())
                .setDataDirectory(old.resolve("data").toFile()).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("unix_socket_directories", old.resolve("bin").toString()).start()) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
                 Statement st = c.createStatement()) {
                st.execute("create database connection");
            }
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/connection", "postgres", "any");
                 Statement st = c.createStatement()) {
                st.execute("create table source (id bigint generated by default as identity primary key, name text)");
                st.execute("create table legacy (id serial primary key)");
                st.execute("create sequence job_number");
                st.execute("create view source_names as select name from source");
                st.execute("create schema archive");
                st.execute("create table archive.old_source (id bigint)");
                st.execute("insert into source (name) values ('kept')");
            }
        }

        try (PostgresServer upgraded = PostgresServer.start(old, port, true)) {
            assertThatThrownBy(() -> login(upgraded, "postgres", "postgres", "postgres").close())
                    .hasMessageContaining("password authentication failed");
            DatabaseLogin role = upgraded.ownDatabase("connection", "connection_service");
            try (Connection c = upgraded.connect("connection", role); Statement st = c.createStatement()) {
                assertThat(one(c, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                        + "where n.nspname in ('public', 'archive') and c.relkind in ('r', 'S', 'v') "
                        + "and c.relowner <> (select oid from pg_roles where rolname = current_user)")).isEqualTo("0");
                assertThat(one(c, "select string_agg(nspname || ':' || pg_get_userbyid(nspowner), ',' order by nspname) "
                        + "from pg_namespace where nspname in ('public', 'archive')"))
                        .isEqualTo("archive:connection_service,public:connection_service");
                // it uses and migrates what it now owns
                st.execute("insert into source (name) values ('new')");
                st.execute("insert into legacy default values");
                st.execute("select nextval('job_number')");
                st.execute("alter table source add column note text");
                st.execute("insert into archive.old_source values (1)");
                assertThat(one(c, "select string_agg(name, ',' order by name) from source_names")).isEqualTo("kept,new");
            }
        }
        // and the next start of the upgraded folder takes the kept password
        try (PostgresServer again = PostgresServer.start(old, port, true);
             Connection c = again.connect("connection", again.login("connection_service"))) {
            assertThat(one(c, "select count(*) from source")).isEqualTo("2");
            assertThatThrownBy(() -> login(again, "postgres", "postgres", "postgres").close())
                    .hasMessageContaining("password authentication failed");
        }
    }
}
