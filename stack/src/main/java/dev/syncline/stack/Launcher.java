package dev.syncline.stack;

import dev.syncline.infra.Infrastructure;
import dev.syncline.infra.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./syncline up|down|status|env|sql|restart}: runs Syncline on this machine. {@code up} stays in the
 * foreground until Ctrl-C (or {@code down} from another shell) and then stops everything it started; meanwhile it
 * starts again a service that ended on its own, and takes {@code restart <component>} from another shell through its
 * {@link ControlChannel}.
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
            case "restart" -> l.restart(args);
            default -> {
                System.out.println("usage: ./syncline up [-d] | down | status | env | sql <database> <query> | restart <component>"
                        + " | test | build");
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
            if (status() != 0) {
                System.out.println("A component that is down starts again with ./syncline restart <component> ("
                        + String.join(", ", Stack.componentNames()) + ").");
            }
            return 0;
        }
        killLeftovers();
        Files.createDirectories(dir);
        for (String stale : List.of("ready", "env.sh", "stack.txt")) {
            Files.deleteIfExists(file(stale));
        }
        // from now on: a second `up` sees this one, even while it starts
        Files.writeString(file("launcher.pid"), ProcessRecord.of(ProcessHandle.current()));
        System.out.println("Starting Syncline (data in " + dir + ") ...");
        long t0 = System.nanoTime();
        Stack stack;
        try {
            stack = Stack.start(home, dir, partitions);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file("launcher.pid"));
            throw e;
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        ControlChannel control = ControlChannel.open(dir, (command, say) -> control(stack, command, say));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Syncline ...");
            control.close();
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
        stack.supervise(line -> System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line),
                () -> writePidsQuietly(stack));
        Files.writeString(file("stack.txt"), stack.table());
        Files.writeString(file("env.sh"), stack.environmentExports());
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

    /** A command from {@code ./syncline restart} in another shell, run by this launcher; its processes recorded after. */
    private void control(Stack stack, String command, Consumer<String> say) throws IOException {
        try {
            run(stack, command, say);
        } finally {
            writePids(stack);
        }
    }

    /** Runs a command of the control channel ({@code restart <component>}) on the stack, saying what it does. */
    static void run(Stack stack, String command, Consumer<String> say) {
        String[] words = command.split("\\s+");
        if (words.length != 2 || !words[0].equals("restart")) {
            throw new IllegalArgumentException("unknown command: " + command + " (restart <component>)");
        }
        String component = Stack.component(words[1]);
        say.accept("restarting " + component + " ...");
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " restarting " + component + " (./syncline restart)");
        long t0 = System.nanoTime();
        stack.restart(component);
        String done = String.format("%s restarted in %d s", component, (System.nanoTime() - t0) / 1_000_000_000L);
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + done);
        say.accept(done);
    }

    /** The processes it started, for a later `up` or `down` to stop them if this launcher is killed. */
    private synchronized void writePids(Stack stack) throws IOException {
        Properties p = new Properties();
        stack.servicePids().forEach((s, pid) -> record(p, s.module(), pid));
        record(p, "kafka", stack.infrastructure().kafka().pid());
        record(p, "apicurio-registry", stack.infrastructure().registry().pid());
        record(p, "postgresql", stack.infrastructure().postgres().pid());
        try (OutputStream out = Files.newOutputStream(file("pids.properties"))) {
            p.store(out, "processes started by the launcher");
        }
    }

    private static void record(Properties p, String name, long pid) {
        ProcessHandle.of(pid).ifPresent(h -> p.setProperty(name, ProcessRecord.of(h)));
    }

    private void writePidsQuietly(Stack stack) {
        try {
            writePids(stack);
        } catch (IOException e) {
            System.out.println("could not record the processes in " + file("pids.properties") + ": " + e.getMessage());
        }
    }

    private Optional<ProcessHandle> launcherProcess() {
        try {
            return Files.exists(file("launcher.pid")) ? ProcessRecord.find(Files.readString(file("launcher.pid")))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The processes the launcher recorded, by name. */
    private Properties recordedPids() {
        Properties p = new Properties();
        if (Files.exists(file("pids.properties"))) {
            try (InputStream in = Files.newInputStream(file("pids.properties"))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    /** Processes a killed launcher left behind. */
    private List<ProcessHandle> leftovers() {
        List<ProcessHandle> out = new ArrayList<>();
        Properties p = recordedPids();
        for (String name : p.stringPropertyNames()) {
            ProcessRecord.find(p.getProperty(name)).ifPresent(out::add);
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
        if (!Files.exists(file("env.sh"))) {
            System.out.println("Syncline is starting (log: " + file("logs") + ").");
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
        System.out.printf("%-20s %-42s %s%n", "COMPONENT", "URL / ADDRESS", "HEALTH");
        for (Service s : Service.values()) {
            String url = env.getProperty(s.urlVariable());
            String health = Stack.health(url);
            allUp &= health.equals("UP");
            System.out.printf("%-20s %-42s %s%n", s.module(), url, health);
        }
        Properties pids = recordedPids();
        for (String[] c : new String[][] {{"kafka", env.getProperty("KAFKA_BOOTSTRAP_SERVERS")},
                {"apicurio-registry", env.getProperty("APICURIO_REGISTRY_URL")},
                {"postgresql", "127.0.0.1:" + env.getProperty("PG_PORT")}}) {
            boolean runs = ProcessRecord.find(pids.getProperty(c[0], "")).isPresent();
            allUp &= runs;
            System.out.printf("%-20s %-42s %s%n", c[0], c[1], runs ? "running" : "not running");
        }
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
        // as the database's own role where it has one (what it creates belongs to the warehouse user or the service),
        // as the launcher's superuser otherwise
        String role = Stack.ownerOf(args[1]).orElse(PostgresServer.USER);
        String password = PostgresServer.logins(Infrastructure.postgresDir(dir)).of(role);
        try (var c = java.sql.DriverManager.getConnection(url, role, password);
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

    /** {@code ./syncline restart <component>}: asks the running launcher to restart it, and waits until it did. */
    int restart(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ./syncline restart <component>   (" + String.join(", ", Stack.componentNames()) + ")");
            return 2;
        }
        if (launcherProcess().isEmpty()) {
            System.err.println("Syncline is not running (./syncline up starts it" + (leftovers().isEmpty() ? ""
                    : ", after stopping what a launcher that was killed left running") + ").");
            return 1;
        }
        int rc = ControlChannel.send(dir, "restart " + args[1], System.out);
        if (rc == 3) {
            System.err.println("Syncline's launcher does not answer on " + ControlChannel.socket(dir) + " (still starting?)");
            return 1;
        }
        return rc;
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
