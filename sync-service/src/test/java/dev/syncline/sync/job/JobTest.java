package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobTest {
    private static final AttemptFailure TIMEOUT = new AttemptFailure("timed out", FailureOrigin.SOURCE,
            FailureType.TRANSIENT_ERROR, true, "public.users");

    @Test
    void aFailedAttemptWithARetryDueLeavesTheJobIncompleteAndItsNextAttemptStartsIt() {
        Job j = Attempts.job(JobType.SYNC);
        j.attempt = 0;
        j.start();
        assertThat(j.status).isEqualTo(JobStatus.RUNNING);

        j.fail("[]", TIMEOUT, Duration.ofSeconds(10));

        assertThat(j.status).isEqualTo(JobStatus.INCOMPLETE);
        assertThat(j.endedAt).isNull();
        assertThat(j.nextAttemptAt).isNotNull();
        assertThat(j.failure).isEqualTo(TIMEOUT);
        j.start();
        assertThat(j.attempt).isEqualTo(2);

        j.succeed("[]");
        assertThat(j.status).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(j.failure).as("a success clears the last failure").isNull();
        assertThat(j.done()).isTrue();
    }

    @Test
    void onlyAWaitingJobIsCancelledAtOnceAndOnlyARunningOneEnds() {
        Job j = Attempts.job(JobType.SYNC);
        j.cancelWaiting();
        assertThat(j.status).isEqualTo(JobStatus.CANCELLED);
        assertThat(j.endedAt).isNotNull();
        assertThatThrownBy(j::start).hasMessageContaining("is cancelled, not pending");
        assertThatThrownBy(() -> j.succeed("[]")).hasMessageContaining("is cancelled, not running");
    }

    @Test
    void aJobOfAStoppedInstanceIsDueAgainAndItsAttemptFailedRetryably() {
        Job j = Attempts.job(JobType.SYNC);
        j.start();
        Attempt a = Attempt.started(j);

        j.interrupted();
        a.interrupted("the instance running it stopped");

        assertThat(j.status).isEqualTo(JobStatus.INCOMPLETE);
        assertThat(j.nextAttemptAt).isNotNull();
        assertThat(a.status).isEqualTo(AttemptStatus.FAILED);
        assertThat(a.failure).isEqualTo(new AttemptFailure("the instance running it stopped", FailureOrigin.PLATFORM,
                FailureType.SYSTEM_ERROR, true, null));
    }

    @Test
    void aRefusedJobFailsWithAConfigErrorBeforeAnyAttempt() {
        Job j = Attempts.job(JobType.SYNC);
        j.refuse("the connection's schedule cannot run");
        assertThat(j.status).isEqualTo(JobStatus.FAILED);
        assertThat(j.failure.type()).isEqualTo(FailureType.CONFIG_ERROR);
        assertThat(j.failure.retryable()).isFalse();
    }

    @Test
    void theDatabaseTheEventsAndTheApiKeepTheirWords() {
        assertThat(new JobType.Column().convertToDatabaseColumn(JobType.REFRESH)).isEqualTo("refresh");
        assertThat(new JobStatus.Column().convertToEntityAttribute("incomplete")).isEqualTo(JobStatus.INCOMPLETE);
        assertThat(new AttemptStatus.Column().convertToEntityAttribute(null)).isNull();
        assertThat(new FailureType.Column().convertToDatabaseColumn(FailureType.TRANSIENT_ERROR)).isEqualTo("transient_error");
        assertThat(JobStatus.values()).extracting(JobStatus::wireName)
                .containsExactly("pending", "running", "incomplete", "succeeded", "failed", "cancelled");
        assertThat(AttemptStatus.values()).extracting(AttemptStatus::wireName)
                .containsExactly("running", "succeeded", "failed", "cancelled");
        assertThat(JobType.values()).extracting(JobType::wireName).containsExactly("sync", "clear", "refresh");
        assertThatThrownBy(() -> new JobStatus.Column().convertToEntityAttribute("paused"))
                .hasMessage("unknown JobStatus paused");
    }
}
