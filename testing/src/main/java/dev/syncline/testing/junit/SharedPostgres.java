package dev.syncline.testing.junit;

import dev.syncline.infra.Directories;
import dev.syncline.infra.FreePorts;
import dev.syncline.infra.PostgresServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A real PostgreSQL for plain JUnit tests (connectors, benchmarks): started once per JVM, stopped at its exit. */
public final class SharedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;

    private SharedPostgres() { }

    public static synchronized PostgresServer get() {
        if (server == null) {
            Path dir = Path.of("target", "postgres-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = PostgresServer.start(dir, FreePorts.pick(), false);
            PostgresServer started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Directories.delete(dir);
            }, "shared-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database. */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        get().createDatabase(name);
        return name;
    }
}
