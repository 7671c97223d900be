package dev.syncline.sync.job;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * Why an attempt failed, as its job and attempt rows keep it (all null when none). {@code stream} is the stream being
 * read or written then, when known.
 */
@Embeddable
public record AttemptFailure(@Column(name = "failure_message") String message,
                             @Column(name = "failure_origin") FailureOrigin origin,
                             @Column(name = "failure_type") FailureType type,
                             @Column(name = "failure_retryable") boolean retryable,
                             @Column(name = "failure_stream") String stream) {
    /** An instance stopped while the attempt ran: retryable, its job resumes from its last checkpoint. */
    static AttemptFailure interrupted(String why) {
        return new AttemptFailure(why, FailureOrigin.PLATFORM, FailureType.SYSTEM_ERROR, true, null);
    }
}
