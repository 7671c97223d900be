package dev.syncline.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./syncline up|down|status|env}: runs Syncline on this machine. {@code up} stays in the foreground until
 * Ctrl-C (or {@code down} from another shell) and then stops everything it started.
 */
public final class Launcher {
    private final Path home;
    private final Path dir;

    Launcher(Path home, Path dir) {
        this.home = home;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("syncline.home", ".")).toAbsolutePath().normalize();
        Path dir = Path.of(System.getProperty("syncline.dir", home.resolve(".syncline").toString())).toAbsolutePath();
        Launcher l = new Launcher(home, dir);
        String cmd = args.length == 0 ? "help" : args[0];
        int rc = switch (cmd) {
            case "up" -> l.up(Integer.getInteger("syncline.partitions", 3));
            case "down" -> l.down();
            case "status" -> l.status();
            case "env" -> l.env();
            case "sql" -> l.sql(args);
            default -> {
                System.out.println("usage: ./syncline up [-d] | down | status | env | sql <database> <query> | test | build");
                yield cmd.equals("help") ? 0 : 2;
            }
        };
        System.exit(rc);
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    int up(int partitions) throws Exception {
        Optional<ProcessHandle> running = launcherProcess();
        if (running.isPresent()) {
            System.out.println("Syncline is already running (launcher pid " + running.get().pid() + "):");
            System.out.print(Files.readString(file("stack.txt")));
            return 0;
        }
        killLeftovers();
        Files.createDirectories(dir);
        Files.deleteIfExists(file("ready"));
        System.out.println("Starting Syncline (data in " + dir + ") ...");
        long t0 = System.nanoTime();
        Stack stack = Stack.start(home, dir, partitions);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Syncline ...");
            stack.close();
            try {
                Files.deleteIfExists(file("launcher.pid"));
                Files.deleteIfExists(file("ready"));
                Files.deleteIfExists(file("pids.properties"));
            } catch (IOException ignored) {
                // best effort
            }
            System.out.println("Syncline stopped.");
        }, "syncline-stop"));
        writePids(stack);
        Files.writeString(file("stack.txt"), stack.table());
        Files.writeString(file("env.sh"), stack.environmentExports());
        Files.writeString(file("launcher.pid"), String.valueOf(ProcessHandle.current().pid()));
        System.out.print(stack.table());
        System.out.printf("%nSyncline is up (started in %d s). Stop it with Ctrl-C or ./syncline down.%n", seconds);
        System.out.println("The console: " + stack.url(Service.CONSOLE) + "/connections");
        System.out.println("For the README walkthrough: eval \"$(./syncline env)\"");
        if (stack.adminKeyIsNew()) {
            if (Boolean.getBoolean("syncline.detached")) {
                // the launcher's output is a log file: ./syncline up -d prints the key from its file, once
                Files.writeString(file("admin.key.new"), "");
            } else {
                printNewAdminKey(stack.adminKey(), file(ApiKeyFiles.ADMIN));
            }
        }
        Files.writeString(file("ready"), String.valueOf(seconds));
        Thread.currentThread().join();
        return 0;
    }

    static void printNewAdminKey(String key, Path file) {
        System.out.println();
        System.out.println("Your admin API key (shown this once; kept owner-only in " + file + "):");
        System.out.println("  " + key);
        System.out.println("Sign in to the console with it; curl takes it as -H \"Authorization: Bearer <key>\".");
    }

    private void writePids(Stack stack) throws IOException {
        Properties p = new Properties();
        stack.servicePids().forEach((s, pid) -> p.setProperty(s.module(), String.valueOf(pid)));
        p.setProperty("kafka", String.valueOf(stack.infrastructure().kafka().pid()));
        p.setProperty("apicurio-registry", String.valueOf(stack.infrastructure().registry().pid()));
        p.setProperty("postgresql", String.valueOf(stack.infrastructure().postgres().pid()));
        try (OutputStream out = Files.newOutputStream(file("pids.properties"))) {
            p.store(out, "processes started by the launcher");
        }
    }

    private Optional<ProcessHandle> launcherProcess() {
        try {
            if (!Files.exists(file("launcher.pid"))) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file("launcher.pid")).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Processes a killed launcher left behind. */
    private List<ProcessHandle> leftovers() {
        List<ProcessHandle> out = new ArrayList<>();
        if (!Files.exists(file("pids.properties"))) {
            return out;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file("pids.properties"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : p.stringPropertyNames()) {
            try {
                ProcessHandle.of(Long.parseLong(p.getProperty(name))).filter(ProcessHandle::isAlive).ifPresent(out::add);
            } catch (NumberFormatException ignored) {
                // not a pid
            }
        }
        return out;
    }

    private void killLeftovers() throws IOException {
        for (ProcessHandle h : leftovers()) {
            System.out.println("stopping process " + h.pid() + " left by an earlier launcher");
            h.destroy();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        Files.deleteIfExists(file("pids.properties"));
    }

    int down() throws Exception {
        Optional<ProcessHandle> launcher = launcherProcess();
        if (launcher.isEmpty() && leftovers().isEmpty()) {
            System.out.println("Syncline is not running.");
            return 0;
        }
        if (launcher.isPresent()) {
            System.out.println("Stopping Syncline (launcher pid " + launcher.get().pid() + ") ...");
            launcher.get().destroy();
            try {
                launcher.get().onExit().get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                launcher.get().destroyForcibly();
            }
        }
        killLeftovers();
        Files.deleteIfExists(file("launcher.pid"));
        Files.deleteIfExists(file("ready"));
        System.out.println("Syncline stopped.");
        return 0;
    }

    int status() throws IOException {
        if (launcherProcess().isEmpty()) {
            System.out.println("Syncline is not running (./syncline up starts it).");
            return 1;
        }
        Properties env = new Properties();
        for (String line : Files.readAllLines(file("env.sh"))) {
            String kv = line.replaceFirst("^export ", "");
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        boolean allUp = true;
        System.out.printf("%-20s %-34s %s%n", "SERVICE", "URL", "HEALTH");
        for (Service s : Service.values()) {
            String url = env.getProperty(s.urlVariable());
            String health = Stack.health(url);
            allUp &= health.equals("UP");
            System.out.printf("%-20s %-34s %s%n", s.module(), url, health);
        }
        System.out.printf("%-20s %-34s %s%n", "kafka", env.getProperty("KAFKA_BOOTSTRAP_SERVERS"), "");
        System.out.printf("%-20s %-34s %s%n", "apicurio-registry", env.getProperty("APICURIO_REGISTRY_URL"), "");
        System.out.printf("%-20s %-34s %s%n", "postgresql", "127.0.0.1:" + env.getProperty("PG_PORT"), "");
        return allUp ? 0 : 1;
    }

    /** Runs one query against the stack's PostgreSQL and prints the rows: no psql needed for the walkthrough. */
    int sql(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ./syncline sql <database> <query>   e.g. ./syncline sql warehouse 'select count(*) from users'");
            return 2;
        }
        if (launcherProcess().isEmpty()) {
            System.err.println("Syncline is not running (./syncline up starts it).");
            return 1;
        }
        String port = null;
        for (String line : Files.readAllLines(file("env.sh"))) {
            if (line.startsWith("export PG_PORT=")) {
                port = line.substring("export PG_PORT=".length());
            }
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + args[1];
        try (var c = java.sql.DriverManager.getConnection(url, dev.syncline.testing.PostgresServer.USER,
                dev.syncline.testing.PostgresServer.PASSWORD);
             var st = c.createStatement()) {
            if (!st.execute(args[2])) {
                System.out.println(st.getUpdateCount() + " row(s)");
                return 0;
            }
            try (var rs = st.getResultSet()) {
                var md = rs.getMetaData();
                StringBuilder header = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    header.append(i > 1 ? "\t" : "").append(md.getColumnLabel(i));
                }
                System.out.println(header);
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.append(i > 1 ? "\t" : "").append(rs.getString(i));
                    }
                    System.out.println(row);
                }
            }
            return 0;
        } catch (java.sql.SQLException e) {
            System.err.println("query failed: " + e.getMessage());
            return 1;
        }
    }

    int env() throws IOException {
        if (launcherProcess().isEmpty() || !Files.exists(file("env.sh"))) {
            System.err.println("Syncline is not running (./syncline up starts it).");
            return 1;
        }
        System.out.print(Files.readString(file("env.sh")));
        return 0;
    }
}
