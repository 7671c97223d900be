package dev.syncline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.infra.Directories;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's bookkeeping, without a stack: its control socket, its process records, the supervisor's backoff. */
class LauncherControlTest {
    Path dir;

    @BeforeEach
    void folder() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "control-");
    }

    @AfterEach
    void clean() {
        Directories.delete(dir);
    }

    static String printed(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anotherShellsCommandReachesTheRunningLauncherAndHearsItsProgressAndOutcome() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ControlChannel channel = ControlChannel.open(dir, (command, say) -> {
            handled.add(command);
            if (command.endsWith("nothing")) {
                throw new IllegalArgumentException("no component nothing (one of sync-service, postgres)\nsecond line");
            }
            say.accept("restarting sync-service ...");
        })) {
            assertThat(ControlChannel.send(dir, "restart sync-service", new PrintStream(out, true, StandardCharsets.UTF_8)))
                    .isZero();
            assertThat(printed(out)).isEqualTo("restarting sync-service ...\n");
            out.reset();
            assertThat(ControlChannel.send(dir, "restart nothing", new PrintStream(out, true, StandardCharsets.UTF_8)))
                    .isEqualTo(1);
            assertThat(printed(out)).isEqualTo("failed: no component nothing (one of sync-service, postgres)\n");
            // only the data folder's owner may reach the socket
            assertThat(Files.getPosixFilePermissions(ControlChannel.socket(dir).getParent()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
        }
        assertThat(handled).containsExactly("restart sync-service", "restart nothing");
        // no launcher: nobody answers, and the command says so rather than hanging
        assertThat(ControlChannel.send(dir, "restart sync-service", new PrintStream(out, true, StandardCharsets.UTF_8)))
                .isEqualTo(3);
    }

    @Test
    void aSocketLeftByAKilledLauncherIsReplacedByTheNextOne() throws Exception {
        Files.createDirectories(ControlChannel.socket(dir).getParent());
        Files.writeString(ControlChannel.socket(dir), "left behind");
        try (ControlChannel channel = ControlChannel.open(dir, (command, say) -> say.accept("ok: " + command))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ControlChannel.send(dir, "restart kafka", new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
            assertThat(printed(out)).isEqualTo("ok: restart kafka\n");
        }
    }

    @Test
    void aRecordedProcessIsFoundOnlyWhileThatSameProcessRuns() throws Exception {
        String me = ProcessRecord.of(ProcessHandle.current());
        assertThat(me).matches(ProcessHandle.current().pid() + "@\\d+");
        assertThat(ProcessRecord.find(me)).contains(ProcessHandle.current());
        // the same pid, started at another time: the pid was given to another process since (kill -9 of a launcher)
        long started = Long.parseLong(me.substring(me.indexOf('@') + 1));
        assertThat(ProcessRecord.find(ProcessHandle.current().pid() + "@" + (started - 60_000))).isEmpty();
        Process ended = new ProcessBuilder("true").start();
        String record = ProcessRecord.of(ended.toHandle());
        ended.waitFor();
        assertThat(ProcessRecord.find(record)).isEmpty();
        assertThat(ProcessRecord.find("")).isEmpty();
        assertThat(ProcessRecord.find("not a pid")).isEmpty();
        // an earlier version's record: the pid alone
        assertThat(ProcessRecord.find(String.valueOf(ProcessHandle.current().pid()))).contains(ProcessHandle.current());
    }

    @Test
    void theSupervisorWaitsLongerAfterEachCrashInARowUpToAMinute() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 20).stream().map(Supervisor::delaySeconds).toList())
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }
}
