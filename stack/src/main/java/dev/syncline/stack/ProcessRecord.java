package dev.syncline.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process as the launcher records it in its files ({@code launcher.pid}, {@code pids.properties}): its pid and when
 * it started, {@code 1234@1767225600000}. A pid the system gave to another process since (the recorded one died) is
 * then not taken for it: no "already running" for a launcher that is gone, no signal to a stranger.
 */
final class ProcessRecord {
    private ProcessRecord() { }

    static String of(ProcessHandle h) {
        return h.pid() + h.info().startInstant().map(i -> "@" + i.toEpochMilli()).orElse("");
    }

    /** The recorded process if it still runs; a record without a start instant (an earlier version's) trusts the pid. */
    static Optional<ProcessHandle> find(String recorded) {
        String[] parts = recorded.trim().split("@", 2);
        try {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessRecord::runs);
            if (parts.length == 1) {
                return h;
            }
            Instant started = Instant.ofEpochMilli(Long.parseLong(parts[1]));
            return h.filter(p -> p.info().startInstant().map(started::equals).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Alive and not a zombie (killed, not yet reaped: the system still answers for its pid). */
    private static boolean runs(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "stat"));
            // "pid (command) S ...": the state follows the command's closing parenthesis
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return h.isAlive(); // no /proc (not Linux), or it ended meanwhile
        }
    }
}
