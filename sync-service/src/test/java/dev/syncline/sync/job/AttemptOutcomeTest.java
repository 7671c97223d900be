package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.ConnectorException;
import org.junit.jupiter.api.Test;

class AttemptOutcomeTest {
    private static final ConnectorException BAD_PASSWORD =
            new ConnectorException(ConnectorException.Type.CONFIG, "password authentication failed");
    private static final ConnectorException TIMEOUT = new ConnectorException(ConnectorException.Type.TRANSIENT, "timed out");

    @Test
    void aStoppingInstanceHandsEveryAttemptBackWhateverStoppedIt() {
        assertThat(AttemptOutcome.of(new AttemptScope.Cancelled(), true)).isInstanceOf(AttemptOutcome.HandedBack.class);
        assertThat(AttemptOutcome.of(StageFailure.source("public.users", TIMEOUT), true)).isInstanceOf(AttemptOutcome.HandedBack.class);
        assertThat(AttemptOutcome.of(new IllegalStateException("pool closed"), true)).isInstanceOf(AttemptOutcome.HandedBack.class);
    }

    @Test
    void aCancelIsRecordedAsCancelled() {
        assertThat(AttemptOutcome.of(new AttemptScope.Cancelled(), false)).isInstanceOf(AttemptOutcome.Cancelled.class);
    }

    @Test
    void aConnectorFailureSaysWhereAndIsRetriedUnlessItIsAConfigError() {
        var config = (AttemptOutcome.Failed) AttemptOutcome.of(StageFailure.destination("public.users", BAD_PASSWORD), false);
        assertThat(config.failure()).isEqualTo(new AttemptFailure("password authentication failed", FailureOrigin.DESTINATION,
                FailureType.CONFIG_ERROR, false, "public.users"));
        assertThat(config.logLine()).isEqualTo("destination config_error: password authentication failed");
        assertThat(config.internal()).isFalse();

        var transientFailure = (AttemptOutcome.Failed) AttemptOutcome.of(StageFailure.source(null, TIMEOUT), false);
        assertThat(transientFailure.failure()).isEqualTo(new AttemptFailure("timed out", FailureOrigin.SOURCE,
                FailureType.TRANSIENT_ERROR, true, null));
        assertThat(transientFailure.logLine()).isEqualTo("source transient_error: timed out");
    }

    @Test
    void aConnectorFailureNoStageClaimedIsTheSources() {
        var f = (AttemptOutcome.Failed) AttemptOutcome.of(BAD_PASSWORD, false);
        assertThat(f.failure().origin()).isEqualTo(FailureOrigin.SOURCE);
    }

    @Test
    void aPlatformFailureIsRetryableAndKeepsTheStreamItHappenedOn() {
        IllegalStateException down = new IllegalStateException("connection refused");
        var f = (AttemptOutcome.Failed) AttemptOutcome.of(StageFailure.platform("public.users", down), false);
        assertThat(f.failure()).isEqualTo(new AttemptFailure("internal error: " + down, FailureOrigin.PLATFORM,
                FailureType.SYSTEM_ERROR, true, "public.users"));
        assertThat(f.logLine()).isEqualTo("internal error: java.lang.IllegalStateException: connection refused");
        assertThat(f.internal()).isTrue();

        var outside = (AttemptOutcome.Failed) AttemptOutcome.of(down, false);
        assertThat(outside.failure().stream()).isNull();
        assertThat(outside.failure().origin()).isEqualTo(FailureOrigin.PLATFORM);
    }

    @Test
    void wireNamesStayAsTheEventsAndTheApiSayThem() {
        assertThat(FailureOrigin.values()).extracting(FailureOrigin::wireName).containsExactly("source", "destination", "platform");
        assertThat(FailureType.values()).extracting(FailureType::wireName)
                .containsExactly("config_error", "transient_error", "system_error");
        assertThat(FailureType.fromWireName("system_error")).isEqualTo(FailureType.SYSTEM_ERROR);
        assertThat(FailureOrigin.fromWireName("platform")).isEqualTo(FailureOrigin.PLATFORM);
    }
}
