package dev.syncline.connectors.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Setting;
import java.util.List;

/** The postgres source's settings beyond the connection's. */
record PostgresSourceConfig(PostgresConfig connection, List<String> schemas, int maxParallelStreams, int chunkPages,
                            int readersPerTable, int checkpointSeconds) {
    /**
     * Readers per table, or loads at once, when the config names none: one per two cores of the machine Syncline runs
     * on (each reader keeps a thread here and a PostgreSQL backend busy), at least 1 and at most 4. On two cores that
     * is one: a second reader and load measured no faster there (bench/run connectors, (b) against (b1)).
     */
    static int defaultParallelism() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** The postgres source's config, declared once: its spec is made from this record. */
    @Setting(title = "Postgres")
    record Settings(
            @Setting(inline = true)
            PostgresLogin login,
            @Setting(title = "Schemas", description = "The schemas whose tables and views are discovered.", minItems = 1,
                    defaultValue = "[\"public\"]")
            List<@Setting(minLength = 1) String> schemas,
            @Setting(title = "Streams read at once", minimum = 1, maximum = 64, defaultValue = "4")
            int maxParallelStreams,
            @Setting(title = "Pages per chunk", description = "A full refresh reads a table in ranges of this many 8 kB pages "
                    + "(by CTID).", minimum = 1, defaultValue = "4096")
            int chunkPages,
            @Setting(title = "Readers per table", description = "A full refresh of a table larger than one chunk reads "
                    + "its chunks with this many connections at once (and one more that hands their rows over), in one "
                    + "snapshot, when every column's type is read in binary. Empty: one per two cores of the machine "
                    + "Syncline runs on, at most 4.", minimum = 1, maximum = 32)
            Integer readersPerTable,
            @Setting(title = "Seconds between checkpoints of a full refresh", description = "A full refresh of a table "
                    + "checkpoints after a range at most this often: a failed attempt's retry reads on from the last "
                    + "checkpoint. 0: after every range.", minimum = 0, maximum = 3600, defaultValue = "5")
            int checkpointSeconds) { }

    static PostgresSourceConfig of(JsonNode c, ConnectorReach reach) throws ConnectorException {
        Settings s = ConfigSchema.read(c, Settings.class);
        // a source has no schema setting: "public" only names the schema in a message about a missing one
        return new PostgresSourceConfig(PostgresConfig.of(s.login(), "public", reach), s.schemas(), s.maxParallelStreams(),
                s.chunkPages(), s.readersPerTable() != null ? s.readersPerTable() : defaultParallelism(),
                s.checkpointSeconds());
    }
}
