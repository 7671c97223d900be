package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * For the jobs this instance runs, on a timer of its own (a source blocked in a long query still beats): marks
 * them alive in the database and learns whether a cancel was asked for, which the job's thread checks between
 * records.
 */
@ApplicationScoped
public class Heartbeats {
    private static final Logger LOG = Logger.getLogger(Heartbeats.class);

    @Inject
    SyncConfig config;

    private final Map<Long, AtomicBoolean> running = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent ev) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-heartbeat");
            t.setDaemon(true);
            return t;
        });
        Duration interval = config.heartbeatInterval();
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    AtomicBoolean watch(long jobId) {
        return running.computeIfAbsent(jobId, id -> new AtomicBoolean());
    }

    void unwatch(long jobId) {
        running.remove(jobId);
    }

    /** Whether job {@code jobId} beats from here. */
    boolean watches(long jobId) {
        return running.containsKey(jobId);
    }

    private void beat() {
        if (running.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(running.keySet());
        try {
            List<Long> cancelled = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                    Job.update("heartbeatAt = ?1 where id in ?2 and status = ?3", java.time.OffsetDateTime.now(), ids,
                                    JobStatus.RUNNING)
                            .chain(() -> Job.<Job>list("id in ?1 and cancelRequested = true", ids))
                            .map(jobs -> jobs.stream().map(j -> j.id).toList())));
            for (Long id : cancelled) {
                AtomicBoolean flag = running.get(id);
                if (flag != null && !flag.get()) {
                    LOG.infof("job %d: cancel asked for, stopping", id);
                    flag.set(true);
                }
            }
        } catch (Throwable t) {
            LOG.warnf("heartbeat failed: %s", t.getMessage());
        }
    }
}
