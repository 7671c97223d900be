package dev.syncline.stack;

/** The four services and the console, their databases (the console has none) and the memory each JVM gets. */
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

    /** The env var name the walkthrough uses for its URL, e.g. CONNECTION_URL. */
    String urlVariable() {
        return name() + "_URL";
    }
}
