package dev.syncline.connection.connections;

import java.util.List;

/**
 * What a connection does about a change of its source's schema, decided from what breaks, its policy and its status
 * alone (no database): the change waits for review (and the connection may pause), or it is applied.
 */
sealed interface SchemaChangeReaction {
    /** Something the connection syncs breaks: the change waits for review; an active connection pauses. */
    record Breaking(List<String> what, boolean pause) implements SchemaChangeReaction {
        String reason() {
            return "SCHEMA_CHANGE_BREAKING: " + String.join("; ", what);
        }
    }

    /** Policy ignore: the change waits for review; syncs go on with the streams as they were. */
    record WaitForReview() implements SchemaChangeReaction { }

    /** Policy disable: the change waits for review and an active connection pauses until then. */
    record StopUntilReviewed(boolean pause) implements SchemaChangeReaction { }

    /** Policy propagate_columns or propagate_fully: the change is applied (unless it would make streams mix data). */
    record Propagate(boolean fully) implements SchemaChangeReaction { }

    static SchemaChangeReaction of(List<String> breaking, SchemaChangePolicy policy, ConnectionStatus status) {
        if (!breaking.isEmpty()) {
            // a paused or disabled connection stays as it is; the review says what broke
            return new Breaking(List.copyOf(breaking), status == ConnectionStatus.ACTIVE);
        }
        return switch (policy) {
            case IGNORE -> new WaitForReview();
            case DISABLE -> new StopUntilReviewed(status == ConnectionStatus.ACTIVE);
            case PROPAGATE_COLUMNS -> new Propagate(false);
            case PROPAGATE_FULLY -> new Propagate(true);
        };
    }
}
