package dev.syncline.connection.connections;

import java.util.Optional;

/**
 * What a connection does when its source's schema changes (a breaking change pauses it whatever the policy). The wire
 * name (lower case) is what the database, the JSON API and the events carry.
 */
public enum SchemaChangePolicy {
    /** New fields of streams already synced are added, vanished ones removed. */
    PROPAGATE_COLUMNS,
    /** Columns, and new streams too (in the preset's best mode), vanished streams removed. */
    PROPAGATE_FULLY,
    /** Nothing changes; the change waits for review. */
    IGNORE,
    /** The connection is paused until the change is reviewed. */
    DISABLE;

    public static final SchemaChangePolicy DEFAULT = PROPAGATE_COLUMNS;

    /** Whether the change is applied without a user's review. */
    public boolean propagates() {
        return this == PROPAGATE_COLUMNS || this == PROPAGATE_FULLY;
    }

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<SchemaChangePolicy> fromWire(String text) {
        return WireNames.parse(SchemaChangePolicy.class, text);
    }

    /** A request's policy (checked against the wire names by its @Pattern), or the default. */
    static SchemaChangePolicy orDefault(String text) {
        return WireNames.parseOr(SchemaChangePolicy.class, text, DEFAULT);
    }

    /** Stored by its wire name, as the column always held it. */
    @jakarta.persistence.Converter
    public static class Column extends WireNames.Column<SchemaChangePolicy> {
        public Column() {
            super(SchemaChangePolicy.class);
        }
    }
}
