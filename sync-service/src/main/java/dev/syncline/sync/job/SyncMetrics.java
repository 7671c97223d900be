package dev.syncline.sync.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Prometheus (and the console's Operations page) see of the syncs: how many run now, and the records read,
 * written and rejected as counters, so rows/s and rejects/s are their rates. A running sync reports its counts at each
 * progress event and at its end, never per record: the read loop stays free of shared counters.
 */
@ApplicationScoped
public class SyncMetrics {
    @Inject
    MeterRegistry registry;

    private final AtomicInteger running = new AtomicInteger();
    private Counter read;
    private Counter written;
    private Counter rejected;

    @PostConstruct
    void register() {
        registry.gauge("syncline.syncs.running", running);
        read = Counter.builder("syncline.sync.records.read").description("records read by syncs").register(registry);
        written = Counter.builder("syncline.sync.records.written").description("records written by syncs").register(registry);
        rejected = Counter.builder("syncline.sync.records.rejected").description("records a destination rejected")
                .register(registry);
    }

    /** A sync's counts since its last report; {@link #report} adds the difference. */
    final class Reporter implements AutoCloseable {
        private long lastRead;
        private long lastRejected;

        Reporter() {
            running.incrementAndGet();
        }

        void report(SyncStats stats) {
            long r = stats.recordsRead();
            long j = stats.recordsRejected();
            read.increment(r - lastRead);
            rejected.increment(j - lastRejected);
            written.increment((r - j) - (lastRead - lastRejected));
            lastRead = r;
            lastRejected = j;
        }

        @Override
        public void close() {
            running.decrementAndGet();
        }
    }

    Reporter start() {
        return new Reporter();
    }
}
