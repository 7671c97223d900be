package dev.syncline.infra;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls until a condition holds, the process it waits for died, or the time is up. */
public final class Waiting {
    private Waiting() { }

    public static void until(ChildProcess process, String what, Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw process.failure("exited before " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw process != null ? process.failure("not " + what + " after " + timeout.toSeconds() + " s")
                : new IllegalStateException(what + ": not after " + timeout.toSeconds() + " s");
    }
}
