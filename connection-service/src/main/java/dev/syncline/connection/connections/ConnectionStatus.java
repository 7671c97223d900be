package dev.syncline.connection.connections;

import dev.syncline.kit.problem.ProblemException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where a connection is in its life, and which moves between those places exist: users enable ({@link #ACTIVE}),
 * disable ({@link #INACTIVE}) and delete ({@link #DEPRECATED}); only Syncline pauses ({@link #PAUSED}, with a reason).
 * The wire name (lower case) is what the database, the JSON API and the events carry.
 */
public enum ConnectionStatus {
    ACTIVE, INACTIVE, PAUSED, DEPRECATED;

    /** Who moves a connection: the ConnectionStateChanged event's {@code actor}. */
    public enum Mover {
        USER, SYSTEM;

        public String wireName() {
            return WireNames.of(this);
        }
    }

    /** The moves that exist: from each status, the statuses it may become. */
    public Set<ConnectionStatus> next() {
        return switch (this) {
            case ACTIVE -> Set.of(INACTIVE, PAUSED, DEPRECATED);
            case INACTIVE -> Set.of(ACTIVE, DEPRECATED);
            case PAUSED -> Set.of(ACTIVE, INACTIVE, DEPRECATED);
            case DEPRECATED -> Set.of();
        };
    }

    /**
     * Checks the move from this status to {@code to} by {@code mover}: 409 when the table has no such move, or when a
     * user would pause (only Syncline does) or Syncline would do anything but pause. Staying put is no move: the caller
     * checks {@code this == to} first.
     */
    public void checkMove(ConnectionStatus to, Mover mover, UUID connectionId) {
        if (!next().contains(to)) {
            throw ProblemException.conflict("connection " + connectionId + " is " + wireName() + " and cannot become "
                    + to.wireName());
        }
        if ((to == PAUSED) != (mover == Mover.SYSTEM)) {
            throw ProblemException.conflict(to == PAUSED ? "only Syncline pauses a connection"
                    : "Syncline only pauses a connection");
        }
    }

    /** Whether syncs run (on schedule or asked for). */
    public boolean syncs() {
        return this == ACTIVE;
    }

    /** What the timeline says about a move to this status. */
    public String timelineSummary(String reason) {
        return switch (this) {
            case ACTIVE -> "Enabled";
            case INACTIVE -> "Disabled";
            case PAUSED -> "Paused by Syncline: " + reason;
            case DEPRECATED -> "Deleted";
        };
    }

    public String wireName() {
        return WireNames.of(this);
    }

    /** The status of a wire name, if it is one. */
    public static Optional<ConnectionStatus> fromWire(String text) {
        return WireNames.parse(ConnectionStatus.class, text);
    }

    /** Stored by its wire name, as the column always held it. */
    @jakarta.persistence.Converter
    public static class Column extends WireNames.Column<ConnectionStatus> {
        public Column() {
            super(ConnectionStatus.class);
        }
    }
}
