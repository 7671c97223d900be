package dev.syncline.connection.notify;

import java.util.Arrays;
import java.util.Locale;

/** What a notification rule can be told about. Each is told once per change of state, never once per sync. */
public enum AlertEvent {
    /** A sync failed after the last one succeeded (or the first sync failed). */
    SYNC_FAILED,
    /** A sync succeeded after one failed. */
    SYNC_RECOVERED,
    /** A run's rejected records went over the rule's percentage of the records read (told again only after a run under it). */
    REJECTED_RECORDS,
    /** The source's schema changed in a way that breaks the connection's streams. */
    BREAKING_SCHEMA_CHANGE,
    /** Syncline paused the connection (repeated failures, a breaking change, tables that would mix). */
    CONNECTION_PAUSED;

    /** Every event's wire name, comma-separated: a rule's default. */
    public static String all() {
        return String.join(",", Arrays.stream(values()).map(AlertEvent::wireName).toList());
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AlertEvent fromWire(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public static boolean known(String s) {
        return s != null && Arrays.stream(values()).anyMatch(e -> e.wireName().equals(s));
    }

    /** Words for a page and a chat message. */
    public String title() {
        return switch (this) {
            case SYNC_FAILED -> "Sync failed";
            case SYNC_RECOVERED -> "Sync recovered";
            case REJECTED_RECORDS -> "Rejected records over the threshold";
            case BREAKING_SCHEMA_CHANGE -> "Breaking schema change";
            case CONNECTION_PAUSED -> "Connection paused";
        };
    }
}
