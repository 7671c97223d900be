package dev.syncline.sync.job;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Takes pending jobs whose connection and actors are known, at most one running job per connection and
 * {@code syncline.sync.max-concurrent} per instance, and runs each on its own thread.
 */
@ApplicationScoped
public class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    @Inject
    SyncRun syncRun;

    @ConfigProperty(name = "syncline.sync.max-concurrent", defaultValue = "4")
    int maxConcurrent;

    private Semaphore slots;
    private ExecutorService pool;

    void onStart(@Observes StartupEvent ev) {
        slots = new Semaphore(maxConcurrent);
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // a job that was running when the service stopped runs again (full refresh | overwrite starts over safely)
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                    Job.update("status = 'pending' where status = 'running'")));
        } catch (Throwable t) {
            LOG.warnf("could not requeue interrupted jobs: %s", t.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Scheduled(every = "${syncline.sync.poll-interval:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void claimAndRun() throws Throwable {
        while (slots.tryAcquire()) {
            Long jobId = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(this::claimNext));
            if (jobId == null) {
                slots.release();
                return;
            }
            pool.submit(() -> {
                try {
                    syncRun.run(jobId);
                } catch (Throwable t) {
                    LOG.errorf(t, "job %d could not be recorded", jobId);
                } finally {
                    slots.release();
                }
            });
        }
    }

    /** The oldest runnable job, now running; null when there is none. */
    Uni<Long> claimNext() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "select j.id from job j join connection c on c.id = j.connection_id "
                                + "join actor_copy src on src.id = c.source_id "
                                + "join actor_copy dst on dst.id = c.destination_id "
                                + "where j.status = 'pending' and c.has_catalog and not c.deleted "
                                + "and not exists (select 1 from job r where r.connection_id = j.connection_id "
                                + "and r.status = 'running') "
                                + "order by j.id limit 1 for update of j skip locked", Long.class).getResultList())
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().nullItem()
                        : Job.<Job>findById(ids.getFirst()).invoke(Job::start).map(j -> j.id));
    }
}
