package dev.syncline.stack;

import dev.syncline.infra.ChildProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a service again when its process ends on its own (a crash, kill -9, out of memory): after 1 s, then 2, 4 …
 * up to 60 s while it keeps ending; one that served {@link #STABLE} (ready) before it ended starts the count again. Each
 * step is said. A process the stack stopped or replaced itself ({@link Stack#restart}, {@link Stack#close}) is none of
 * its business.
 */
final class Supervisor implements AutoCloseable {
    /** Ready this long before it ended: a new failure, not the same one again. */
    static final Duration STABLE = Duration.ofMinutes(2);
    static final long MAX_DELAY_SECONDS = 60;

    private final Stack stack;
    private final Consumer<String> say;
    private final Runnable restarted;
    /** Restarts of each service since it was last stable. */
    private final Map<Service, Integer> restarts = new EnumMap<>(Service.class);
    /** Since when each watched process has been ready (System.nanoTime()). */
    private final Map<ChildProcess, Long> readySince = new ConcurrentHashMap<>();
    /** One thread per service at most: a restart waits (up to minutes) for its service to be ready. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(Service.values().length,
            Thread.ofPlatform().name("supervisor-", 0).daemon().factory());
    private volatile boolean closed;

    Supervisor(Stack stack, Consumer<String> say, Runnable restarted) {
        this.stack = stack;
        this.say = say;
        this.restarted = restarted;
    }

    /** Watches a process of {@code s} just started. */
    void watch(Service s, ChildProcess p) {
        Instant started = p.startedAt();
        p.onExit().thenAccept(code -> ended(s, p, code, Duration.between(started, Instant.now())));
    }

    /** The process answers as ready from now on. */
    void ready(ChildProcess p) {
        if (p.isAlive()) {
            readySince.putIfAbsent(p, System.nanoTime());
        }
    }

    /** The delay before the {@code n}th restart in a row: 1, 2, 4 … 60 s. */
    static long delaySeconds(int n) {
        return Math.min(MAX_DELAY_SECONDS, 1L << Math.min(n - 1, 6));
    }

    private void ended(Service s, ChildProcess p, int code, Duration ran) {
        if (closed || !stack.isCurrent(s, p)) {
            readySince.remove(p);
            return; // stopped or replaced on purpose
        }
        Long since = readySince.remove(p);
        boolean stable = since != null && System.nanoTime() - since >= STABLE.toNanos();
        int n;
        synchronized (restarts) {
            n = stable ? 1 : restarts.getOrDefault(s, 0) + 1;
            restarts.put(s, n);
        }
        long delay = delaySeconds(n);
        say.accept(String.format("%s exited (code %d) after %d s; restarting it in %d s (restart %d in a row; log %s)",
                s.module(), code, ran.toSeconds(), delay, n, p.log()));
        timer.schedule(() -> restart(s, p), delay, TimeUnit.SECONDS);
    }

    private void restart(Service s, ChildProcess ended) {
        if (closed) {
            return;
        }
        ChildProcess p = stack.replace(s, ended);
        if (p == null) {
            return; // restarted by someone else meanwhile
        }
        try {
            stack.awaitReady(s, p);
            say.accept(String.format("%s is up again (pid %d)", s.module(), p.pid()));
        } catch (RuntimeException e) {
            // ended again: its own watch schedules the next restart; still not ready: it keeps running, as a start would
            String why = String.valueOf(e.getMessage());
            say.accept(String.format("%s did not come up: %s", s.module(), why.lines().findFirst().orElse(why)));
        } finally {
            restarted.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
