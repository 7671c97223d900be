package dev.syncline.testing;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server from zonky's embedded binaries. With {@code keepData} its data folder survives a
 * restart; otherwise it is wiped at start. One server hosts every service's database.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    /** The system property that sets the server's {@code max_wal_size} (default 1GB). */
    public static final String MAX_WAL_SIZE = "syncline.postgres.max_wal_size";

    private final EmbeddedPostgres pg;
    private final String host;
    private final int port;
    private final AutoCloseable stop;

    private PostgresServer(EmbeddedPostgres pg, String host, int port, AutoCloseable stop) {
        this.pg = pg;
        this.host = host;
        this.port = port;
        this.stop = stop;
    }

    /** A server started elsewhere (a container) with user and password {@value #USER}: {@code stop} stops it. */
    public static PostgresServer external(String host, int port, AutoCloseable stop) {
        return new PostgresServer(null, host, port, stop);
    }

    public static PostgresServer start(Path dir, int port, boolean keepData) {
        try {
            Path bin = dir.resolve("bin");
            Path data = dir.resolve("data");
            Files.createDirectories(bin);
            stopStale(data);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(bin.toFile())
                    .setDataDirectory(data.toFile())
                    .setCleanDataDirectory(!keepData)
                    .setPort(port)
                    // stopped by close(), after the services that use it, not by a JVM hook racing them
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    // PostgreSQL's own 1 GB by default: the WAL kept on disk grows up to it, and a CI machine's disk is
                    // small. The benchmarks raise it (bench/run: 4GB), since at their write rate a checkpoint comes every
                    // minute and the full-page images after each double the WAL written.
                    .setServerConfig("max_wal_size", System.getProperty(MAX_WAL_SIZE, "1GB"))
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("unix_socket_directories", bin.toAbsolutePath().toString())
                    .start();
            return new PostgresServer(pg, "127.0.0.1", pg.getPort(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
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

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL Quarkus' reactive PostgreSQL client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = connect("postgres");
             PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
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
