package dev.syncline.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * A real PostgreSQL server from zonky's embedded binaries. With {@code keepData} its data folder survives a
 * restart; otherwise it is wiped at start. One server hosts every service's database.
 *
 * <p>Every login needs its password (scram-sha-256, locally and over TCP; zonky's own {@code initdb -A trust} is
 * overridden). The superuser {@value #USER} gets a generated password ({@link #password()}), and each database a
 * service, the registry or a user's walkthrough works in is owned by a role of its own that reaches no other database
 * ({@link #ownDatabase}). The passwords are kept owner-only next to the data, in {@code logins/<role>}.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser's name; its password is {@link #password()}, generated per server. */
    public static final String USER = "postgres";
    /** The system property that sets the server's {@code max_wal_size} (default 1GB). */
    public static final String MAX_WAL_SIZE = "syncline.postgres.max_wal_size";
    /** Only for measuring what durable commits cost ({@code bench/run} with {@code SYNCLINE_BENCH_COMMIT=off}); on otherwise. */
    public static final String SYNCHRONOUS_COMMIT = "syncline.postgres.synchronous_commit";
    /** The system property that sets the server's {@code wal_level} (PostgreSQL's default, replica, by default). */
    public static final String WAL_LEVEL = "syncline.postgres.wal_level";
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String SCRAM = "scram-sha-256";
    /** What pg_hba.conf allows: loopback and the local socket, each login with its password. */
    private static final String HBA = """
            # Syncline: every login, local or over TCP, needs its password
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private final EmbeddedPostgres pg;
    private final String host;
    private final int port;
    private final AutoCloseable stop;
    private final LoginPasswords logins;

    private PostgresServer(EmbeddedPostgres pg, String host, int port, AutoCloseable stop, LoginPasswords logins) {
        this.pg = pg;
        this.host = host;
        this.port = port;
        this.stop = stop;
        this.logins = logins;
    }

    /** A server started elsewhere (a container) with superuser {@value #USER} and {@code password}: {@code stop} stops it. */
    public static PostgresServer external(String host, int port, String password, AutoCloseable stop) {
        return new PostgresServer(null, host, port, stop, LoginPasswords.inMemory(Map.of(USER, password)));
    }

    /** The passwords of a server started in {@code dir} (by {@link #start}), for a process that did not start it. */
    public static LoginPasswords logins(Path dir) {
        return LoginPasswords.kept(dir.resolve("logins"));
    }

    public static PostgresServer start(Path dir, int port, boolean keepData) {
        try {
            Path bin = dir.resolve("bin");
            Path data = dir.resolve("data");
            Files.createDirectories(bin);
            stopStale(data);
            LoginPasswords logins = logins(dir);
            String password = logins.of(USER);
            // a new cluster gets the superuser's password and password authentication from initdb itself (zonky passes
            // its "locale" settings to initdb as --key=value, after its own -A trust), so it never trusts anyone
            Path pwfile = dir.resolve("initdb.pwfile");
            Files.deleteIfExists(pwfile);
            OwnerOnlyFiles.write(pwfile, password);
            EmbeddedPostgres pg;
            try {
                pg = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(bin.toFile())
                        .setDataDirectory(data.toFile())
                        .setCleanDataDirectory(!keepData)
                        .setPort(port)
                        .setLocaleConfig("pwfile", pwfile.toString())
                        .setLocaleConfig("auth-local", SCRAM)
                        .setLocaleConfig("auth-host", SCRAM)
                        // zonky's readiness check logs in as the superuser
                        .setConnectConfig("password", password)
                        // stopped by close(), after the services that use it, not by a JVM hook racing them
                        .setRegisterShutdownHook(false)
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", keepData ? "on" : "off")
                        // zonky's default is off: a commit acknowledged to a service (a job's state, an outbox row) could
                        // be lost in a crash of PostgreSQL. On, as PostgreSQL's own default (bench/run measures the cost)
                        .setServerConfig("synchronous_commit", System.getProperty(SYNCHRONOUS_COMMIT, "on"))
                        // PostgreSQL's own 1 GB by default: the WAL kept on disk grows up to it, and a CI machine's disk is
                        // small. The benchmarks raise it (bench/run: 4GB), since at their write rate a checkpoint comes every
                        // minute and the full-page images after each double the WAL written.
                        .setServerConfig("max_wal_size", System.getProperty(MAX_WAL_SIZE, "1GB"))
                        .setServerConfig("checkpoint_timeout", "15min")
                        // logical: what a change-data-capture reader of this server needs (bench/run peers' Debezium)
                        .setServerConfig("wal_level", System.getProperty(WAL_LEVEL, "replica"))
                        .setServerConfig("unix_socket_directories", bin.toAbsolutePath().toString())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage()
                        + (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("password authentication")
                                ? " (the superuser's password kept in " + logins.file(USER) + " is not the server's)" : ""), e);
            } finally {
                Files.deleteIfExists(pwfile);
            }
            PostgresServer server = new PostgresServer(pg, "127.0.0.1", pg.getPort(), null, logins);
            server.requirePasswords(data.resolve("pg_hba.conf"));
            server.lockDown();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A data folder made by an earlier version trusts every local login: the superuser gets its password and
     * pg_hba.conf asks every login for its password from now on (PostgreSQL reloads it; no restart).
     */
    private void requirePasswords(Path hba) throws IOException {
        boolean trusts = Files.readAllLines(hba).stream().map(String::trim)
                .anyMatch(l -> !l.startsWith("#") && l.matches(".*\\strust(\\s.*)?"));
        if (!trusts) {
            return;
        }
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            c.unwrap(PGConnection.class).alterUserPassword(USER, password().toCharArray(), "scram-sha-256");
            Files.writeString(hba, HBA);
            st.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not give PostgreSQL's superuser a password: " + e.getMessage(), e);
        }
    }

    /** Only the superuser connects to the maintenance databases; a database made here gets the same rule. */
    private void lockDown() {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("REVOKE ALL ON DATABASE postgres, template1 FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not restrict PostgreSQL's maintenance databases: " + e.getMessage(), e);
        }
    }

    /** A server left running by a launcher that was killed holds the data folder: stop it first. */
    private static void stopStale(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        try {
            long pid = Long.parseLong(first);
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                h.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> {
                    h.destroyForcibly();
                    return h;
                }).join();
            });
        } catch (NumberFormatException ignored) {
            // not a pid: PostgreSQL will report the file itself
        }
        Files.deleteIfExists(pidFile);
    }

    public int port() {
        return port;
    }

    /** The host clients connect to (127.0.0.1 when started here). */
    public String host() {
        return host;
    }

    /** The superuser's password: for the launcher and for tests that create databases; never a service's. */
    public String password() {
        return logins.of(USER);
    }

    /** The superuser's login. */
    public DatabaseLogin superuser() {
        return logins.login(USER);
    }

    /** A role's login, its password made (and kept) on first use: the role itself is made by {@link #ownDatabase}. */
    public DatabaseLogin login(String role) {
        return logins.login(role);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL Quarkus' reactive PostgreSQL client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** A connection as the superuser. */
    public Connection connect(String database) throws SQLException {
        return connect(database, superuser());
    }

    public Connection connect(String database, DatabaseLogin login) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), login.user(), login.password());
    }

    static boolean isPlainName(String name) {
        return name != null && PLAIN_NAME.matcher(name).matches();
    }

    private static void requirePlain(String what, String name) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("not a plain " + what + " name: " + name);
        }
    }

    /** Creates the database unless it exists, owned by the superuser; only the superuser connects to it. */
    public void createDatabase(String name) {
        requirePlain("database", name);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            if (!exists(c, "select 1 from pg_database where datname = ?", name)) {
                st.execute("CREATE DATABASE " + name);
            }
            st.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code role} (a login, neither superuser nor allowed to create databases or roles, with its kept
     * password) the owner of {@code database} (created unless it exists) and of everything in it, and the only one
     * besides the superuser who may connect to it. Objects an earlier version made as the superuser (tables,
     * sequences, views, schemas) are handed to the role. Safe to repeat at every start.
     */
    public DatabaseLogin ownDatabase(String database, String role) {
        requirePlain("database", database);
        requirePlain("role", role);
        DatabaseLogin login = login(role);
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";
            st.execute((exists(c, "select 1 from pg_roles where rolname = ?", role) ? "ALTER ROLE " + role + " WITH"
                    : "CREATE ROLE " + role) + attributes);
            // the driver sends the SCRAM verifier, never the password itself (no server log can show it)
            c.unwrap(PGConnection.class).alterUserPassword(role, login.password().toCharArray(), "scram-sha-256");
            st.execute(exists(c, "select 1 from pg_database where datname = ?", database)
                    ? "ALTER DATABASE " + database + " OWNER TO " + role : "CREATE DATABASE " + database + " OWNER " + role);
            st.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("could not give database " + database + " to role " + role + ": " + e.getMessage(), e);
        }
        handOver(database, role);
        return login;
    }

    /** Gives the role the database's schemas, tables, sequences and views that someone else owns. */
    private void handOver(String database, String role) {
        String notSystem = " and n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema'";
        String relations = "select case c.relkind when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW' "
                + "when 'S' then 'SEQUENCE' else 'TABLE' end || ' ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) "
                + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where c.relowner <> (select oid from pg_roles where rolname = ?)" + notSystem + " and c.relkind in ";
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            for (String schema : names(c, "select quote_ident(n.nspname) from pg_namespace n "
                    + "where n.nspowner <> (select oid from pg_roles where rolname = ?)" + notSystem, role)) {
                st.execute("ALTER SCHEMA " + schema + " OWNER TO " + role);
            }
            // tables first: a table takes its identity and serial sequences along (ALTER SEQUENCE refuses those)
            for (String relation : names(c, relations + "('r', 'p', 'f', 'v', 'm')", role)) {
                st.execute("ALTER " + relation + " OWNER TO " + role);
            }
            for (String sequence : names(c, relations + "('S')", role)) {
                st.execute("ALTER " + sequence + " OWNER TO " + role);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not give the objects of database " + database + " to role " + role
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        return !names(c, query, name).isEmpty();
    }

    private static List<String> names(Connection c, String query, String parameter) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(query)) {
            q.setString(1, parameter);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** The postmaster's process id, or -1 when the server runs elsewhere. */
    public long pid() {
        if (pg == null) {
            return -1;
        }
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Stops the server and returns once its postmaster has exited (SIGKILL after 30 s). */
    @Override
    public void close() {
        if (pg == null) {
            KafkaBroker.closeQuietly(stop);
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid());
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly: " + e.getMessage(), e);
        } finally {
            postmaster.ifPresent(h -> {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }
}
