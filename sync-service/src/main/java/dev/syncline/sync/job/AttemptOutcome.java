package dev.syncline.sync.job;

import dev.syncline.connectors.spi.ConnectorException;

/**
 * How an attempt that did not succeed ends, decided in one place from what stopped it: handed back when the instance
 * is stopping (another instance or the next start resumes it from its checkpoints; nothing is recorded), cancelled,
 * or failed with a {@link AttemptFailure} saying where and why. Whether a failure is retried is {@link RetryPolicy}'s.
 */
sealed interface AttemptOutcome {
    /** The instance stops: the attempt is neither cancelled nor failed, the job resumes elsewhere. */
    record HandedBack() implements AttemptOutcome { }

    /** A cancel was asked for. */
    record Cancelled() implements AttemptOutcome { }

    /**
     * The attempt failed. {@code logLine} is what the job's log says; {@code internal}: Syncline's own failure (its
     * database away, a bug), logged with its stack trace.
     */
    record Failed(AttemptFailure failure, String logLine, boolean internal) implements AttemptOutcome { }

    /** The outcome of an attempt stopped by {@code stoppedBy}, on an instance that is {@code stopping} or not. */
    static AttemptOutcome of(Throwable stoppedBy, boolean stopping) {
        if (stopping) {
            return new HandedBack();
        }
        if (stoppedBy instanceof AttemptScope.Cancelled) {
            return new Cancelled();
        }
        if (stoppedBy instanceof StageFailure f && f.getCause() instanceof ConnectorException e) {
            return connectorFailed(e, f.origin(), f.stream());
        }
        if (stoppedBy instanceof ConnectorException e) {
            // every stage says where its connector failed; one that did not is before the source was read
            return connectorFailed(e, FailureOrigin.SOURCE, null);
        }
        Throwable cause = stoppedBy instanceof StageFailure f ? f.getCause() : stoppedBy;
        String stream = stoppedBy instanceof StageFailure f ? f.stream() : null;
        // a platform failure: retryable, as the database may be back for the next attempt
        String message = "internal error: " + cause;
        return new Failed(new AttemptFailure(message, FailureOrigin.PLATFORM, FailureType.SYSTEM_ERROR, true, stream),
                message, true);
    }

    private static Failed connectorFailed(ConnectorException e, FailureOrigin origin, String stream) {
        FailureType type = FailureType.of(e.type());
        return new Failed(new AttemptFailure(e.getMessage(), origin, type, type.retryable(), stream),
                origin.wireName() + " " + type.wireName() + ": " + e.getMessage(), false);
    }
}
