package dev.syncline.sync.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The records of an activation sync rejected before and still waiting (per stream, key → source record), and the
 * keys offered in this attempt whose outcome is not known yet: written unless rejected again before the end.
 */
final class Retries {
    /** How many keys rejected in one attempt are remembered to tell whether a later rejection supersedes them. */
    static final int TRACKED_KEYS = 200_000;

    final Map<String, Map<String, String>> waiting = new HashMap<>();
    final Map<String, Set<String>> offered = new HashMap<>();
    /** Whether the keys rejected before were loaded: only then can a rejection say that it supersedes none. */
    boolean known;
    /** Per stream, the keys rejected in this attempt (no key built per rejection: thousands a second). */
    private final Map<String, Set<String>> rejectedNow = new HashMap<>();
    private int tracked;
    private boolean overflowed;

    /**
     * Whether a rejection under {@code retryKey} supersedes an open earlier one: true, false, or null (not known:
     * rejects-service looks). {@code wasWaiting}: the key was rejected by an earlier sync and still open.
     */
    Boolean supersedes(String stream, String retryKey, boolean wasWaiting) {
        if (!known) {
            return null;
        }
        Set<String> now = rejectedNow.computeIfAbsent(stream, k -> new java.util.HashSet<>(4096));
        if (now.contains(retryKey)) {
            return true;
        }
        if (tracked < TRACKED_KEYS) {
            now.add(retryKey);
            tracked++;
        } else {
            overflowed = true;
        }
        return wasWaiting ? Boolean.TRUE : overflowed ? null : Boolean.FALSE;
    }

    /** Whether rejections of this stream wait to be offered again (only then is a sent record's key needed). */
    boolean waiting(String stream) {
        Map<String, String> w = waiting.get(stream);
        return w != null && !w.isEmpty();
    }

    /** A record of this key is sent: whatever was waiting under it is superseded by this version. */
    void sent(String stream, String key) {
        Map<String, String> w = waiting.get(stream);
        if (w != null && w.remove(key) != null) {
            offered.computeIfAbsent(stream, k -> new java.util.HashSet<>()).add(key);
        }
    }

    void rejected(String stream, String key) {
        Set<String> o = offered.get(stream);
        if (o != null) {
            o.remove(key);
        }
    }
}
