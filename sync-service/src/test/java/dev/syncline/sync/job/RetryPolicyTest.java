package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(30), 30);
    private final AttemptFailure transientFailure = new AttemptFailure("timed out", FailureOrigin.SOURCE,
            FailureType.TRANSIENT_ERROR, true, null);
    private final AttemptFailure configFailure = new AttemptFailure("bad password", FailureOrigin.SOURCE,
            FailureType.CONFIG_ERROR, false, null);

    @Test
    void aRetryableFailureIsRetriedUntilTheLastAttempt() {
        assertThat(policy.retryIn(transientFailure, 1, false)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.retryIn(transientFailure, 2, false)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.retryIn(transientFailure, 3, false)).as("the last attempt").isNull();
    }

    @Test
    void aConfigErrorOrACancelledJobIsNeverRetried() {
        assertThat(policy.retryIn(configFailure, 1, false)).isNull();
        assertThat(policy.retryIn(transientFailure, 1, true)).isNull();
    }

    @Test
    void theBackoffTriplesUpToItsCap() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(810));
        assertThat(policy.backoff(6)).as("2430 s, capped").isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.backoff(50)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aConnectionIsPausedAfterTooManyFailedJobsInARow() {
        assertThat(policy.pauses(29)).isFalse();
        assertThat(policy.pauses(30)).isTrue();
    }
}
