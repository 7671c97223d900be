package dev.syncline.sync.job;

import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the destination tells the attempt, on the attempt's thread: each refused record goes to the rejection sink
 * (through the activation's retries when it has a mapping); each acknowledged state is stored at once with the
 * rejections before it when its stream is resumable, or kept for the end of the job.
 */
final class AcknowledgementListener implements WriteListener {
    private final SyncStats stats;
    private final RejectionSink sink;
    private final ActivationRetries activation;
    private final Set<String> storeAtOnce;
    private final Map<String, SourceMessage.StateMessage> deferred = new LinkedHashMap<>();
    private final java.util.function.Consumer<dev.syncline.connectors.spi.HttpExchange> inspector;
    private final java.util.function.BooleanSupplier retryMayFollow;

    AcknowledgementListener(SyncStats stats, RejectionSink sink, ActivationRetries activation, Set<String> storeAtOnce,
                            java.util.function.Consumer<dev.syncline.connectors.spi.HttpExchange> inspector) {
        this(stats, sink, activation, storeAtOnce, inspector, () -> false);
    }

    /** {@code retryMayFollow}: whether another attempt of the job may follow this one if it fails. */
    AcknowledgementListener(SyncStats stats, RejectionSink sink, ActivationRetries activation, Set<String> storeAtOnce,
                            java.util.function.Consumer<dev.syncline.connectors.spi.HttpExchange> inspector,
                            java.util.function.BooleanSupplier retryMayFollow) {
        this.retryMayFollow = retryMayFollow;
        this.inspector = inspector;
        this.stats = stats;
        this.sink = sink;
        this.activation = activation;
        this.storeAtOnce = storeAtOnce;
    }

    @Override
    public void rejected(Rejection r) {
        if (activation != null && r.record().data() instanceof MappedRecord m) {
            activation.refused(r.record(), m, r.reasons());
        } else {
            stats.rejected(r.record().namespace(), r.record().stream());
            sink.rejected(r.record(), r.record().data(), r.reasons());
        }
    }

    @Override
    public void checkpointed(SourceMessage.StateMessage s) {
        flushed(); // every record before it is decided too
        String key = s.key();
        if (storeAtOnce.contains(key)) {
            try {
                sink.store(List.of(s));
            } catch (Throwable t) {
                throw new IllegalStateException("could not store the state of " + key + ": " + t.getMessage(), t);
            }
        } else {
            deferred.put(key, s);
        }
    }

    @Override
    public void flushed() {
        if (activation != null && activation.trail() != null) {
            activation.trail().flushed();
        }
    }

    @Override
    public void exchanged(dev.syncline.connectors.spi.HttpExchange exchange) {
        inspector.accept(exchange);
    }

    @Override
    public boolean retryMayFollow() {
        return retryMayFollow.getAsBoolean();
    }

    /**
     * The last state of each stream that is only consistent once the whole job is (refresh, clear, and overwrite but
     * where its source resumes a full refresh).
     */
    List<SourceMessage.StateMessage> deferredStates() {
        return new ArrayList<>(deferred.values());
    }
}
