package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Takes runnable jobs (at most one running job per connection, {@code syncline.sync.max-concurrent} per instance)
 * and runs each attempt on its own thread; takes over the jobs of instances that stopped heart-beating.
 */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    @Inject
    SyncRun syncRun;

    @Inject
    Jobs jobs;

    @Inject
    SyncConfig config;

    private Semaphore slots;
    private ExecutorService pool;
    private java.util.concurrent.ScheduledExecutorService waker;
    private volatile boolean stopping;

    /** How many attempts run on this instance now. */
    public int running() {
        Semaphore s = slots;
        return s == null ? 0 : config.maxConcurrent() - s.availablePermits();
    }

    void onStart(@Observes StartupEvent ev) {
        int maxConcurrent = config.maxConcurrent();
        slots = new Semaphore(maxConcurrent);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        waker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sync-waker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A job was just queued and committed: look for it now instead of at the next poll, which would leave "Sync now"
     * waiting up to a poll interval. Again a little later, in case a claim running at this moment missed it; the poll
     * still finds whatever both missed.
     */
    public void wake() {
        if (waker == null || stopping) {
            return;
        }
        for (long delay : new long[] {0, 100}) {
            waker.schedule(() -> {
                try {
                    claimAndRun();
                } catch (Throwable t) {
                    LOG.debugf("looking for jobs: %s (the poll looks again)", t.toString());
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stopping: the jobs running here are handed back at once (they resume from their checkpoints). */
    void onStop(@Observes @Priority(1) ShutdownEvent ev) {
        stopping = true;
        syncRun.stopping = true;
        if (waker != null) {
            waker.shutdownNow();
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            int n = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(jobs::releaseMine));
            if (n > 0) {
                LOG.infof("%d running job(s) handed back", n);
            }
        } catch (Throwable t) {
            LOG.warnf("could not hand back running jobs: %s (they are taken over once their heartbeat is stale)", t.getMessage());
        }
    }

    @Scheduled(every = "${syncline.sync.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void claimAndRun() throws Throwable {
        while (!stopping && slots != null && slots.tryAcquire()) {
            Job job;
            try {
                job = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(jobs::claimNext));
            } catch (Throwable t) {
                slots.release(); // the database away for a moment: the slot is free again, the next poll tries again
                throw t;
            }
            if (job == null) {
                slots.release();
                return;
            }
            pool.submit(() -> {
                try {
                    syncRun.run(job);
                } catch (Throwable t) {
                    LOG.errorf(t, "job %d could not be recorded", job.id);
                } finally {
                    slots.release();
                }
            });
        }
    }

    @Scheduled(every = "${syncline.sync.takeover-interval:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void takeOver() throws Throwable {
        if (!stopping) {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(jobs::takeOverStale));
        }
    }
}
