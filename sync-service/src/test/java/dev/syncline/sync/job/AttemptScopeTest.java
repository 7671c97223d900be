package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptScopeTest {
    private final Heartbeats heartbeats = new Heartbeats();
    private final SyncMetrics metrics = new SyncMetrics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    AttemptScopeTest() {
        metrics.registry = registry;
        metrics.register();
    }

    private double running() {
        return registry.get("syncline.syncs.running").gauge().value();
    }

    @Test
    void aJobBeatsAndCountsAsRunningOnlyWhileItsScopeIsOpenWhateverFailsInside() {
        assertThatThrownBy(() -> {
            try (AttemptScope scope = AttemptScope.open(7, heartbeats, metrics, Duration.ofSeconds(5))) {
                assertThat(heartbeats.watches(7)).isTrue();
                assertThat(running()).isEqualTo(1);
                scope.stats().read("public", "users", 10);
                throw new IllegalStateException("the database is away");
            }
        }).hasMessage("the database is away");

        assertThat(heartbeats.watches(7)).isFalse();
        assertThat(running()).isZero();
        assertThat(registry.get("syncline.sync.records.read").counter().count()).as("the last counts reported").isEqualTo(1);
    }

    @Test
    void aCancelAskedForStopsTheAttemptAtItsNextCheck() {
        try (AttemptScope scope = AttemptScope.open(8, heartbeats, metrics, Duration.ofSeconds(5))) {
            scope.checkCancelled();
            heartbeats.watch(8).set(true); // what the heartbeat does when it learns of a cancel
            assertThatThrownBy(scope::checkCancelled).isInstanceOf(AttemptScope.Cancelled.class);
        }
        assertThat(heartbeats.watches(8)).isFalse();
    }

    @Test
    void progressIsPublishedAtItsIntervalNotAtEveryMessage() throws Throwable {
        int[] published = {0};
        try (AttemptScope scope = AttemptScope.open(9, heartbeats, metrics, Duration.ofMillis(50))) {
            scope.onProgress((stats, start) -> published[0]++);
            scope.tick();
            assertThat(published[0]).isZero();
            Thread.sleep(60);
            scope.tick();
            scope.tick();
            assertThat(published[0]).isEqualTo(1);
        }
    }
}
