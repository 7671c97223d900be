package dev.syncline.stack;

/**
 * The four services and the console, their databases (the console has none), each database's own role, and the
 * memory each JVM gets.
 */
public enum Service {
    CONNECTION("connection-service", "connection", "256m"),
    SCHEMA("schema-service", "schema", "256m"),
    SYNC("sync-service", "sync", "512m"),
    REJECTS("rejects-service", "rejects", "256m"),
    /** The web UI: pages over the services' REST APIs, no database of its own. */
    CONSOLE("console", null, "160m");

    final String module;
    final String database;
    final String heap;

    Service(String module, String database, String heap) {
        this.module = module;
        this.database = database;
        this.heap = heap;
    }

    public String module() {
        return module;
    }

    public String database() {
        return database;
    }

    /** The database role the service logs in as: owner of its database and of nothing else; null for the console. */
    public String role() {
        return database == null ? null : module.replace('-', '_');
    }

    /** The service whose module is {@code name}, e.g. sync-service. */
    static java.util.Optional<Service> byModule(String name) {
        return java.util.Arrays.stream(values()).filter(s -> s.module.equals(name)).findFirst();
    }

    /** The env var name the walkthrough uses for its URL, e.g. CONNECTION_URL. */
    String urlVariable() {
        return name() + "_URL";
    }
}
