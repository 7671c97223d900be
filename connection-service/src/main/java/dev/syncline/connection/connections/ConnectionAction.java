package dev.syncline.connection.connections;

/**
 * What a user asks of a connection's data besides a sync: checked by connection-service, carried out by sync-service
 * (each is one command on {@code syncline.sync.commands}). The wire name is the API's {@code action}.
 */
public enum ConnectionAction {
    /** Stop the running sync. */
    CANCEL,
    /** Remove the synced data and the saved cursors (of every stream, or of some). */
    CLEAR,
    /** Sync streams again from scratch, with a {@link RefreshMode}. */
    REFRESH;

    /** How a refresh treats the records synced before. */
    public enum RefreshMode {
        /** Drop them. */
        REMOVE,
        /** Keep them: incremental streams only (a full refresh stream has nothing to keep). */
        RETAIN;

        public String wireName() {
            return WireNames.of(this);
        }

        /** A request's mode, checked against the wire names by its @Pattern. */
        public static RefreshMode fromWire(String text) {
            return WireNames.parse(RefreshMode.class, text).orElseThrow(() -> new IllegalArgumentException(
                    "unknown refresh mode '" + text + "'"));
        }
    }

    /** Whether the action works on streams, so a connection without any cannot take it. */
    public boolean needsStreams() {
        return this != CANCEL;
    }

    public String wireName() {
        return WireNames.of(this);
    }
}
