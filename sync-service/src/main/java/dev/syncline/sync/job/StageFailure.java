package dev.syncline.sync.job;

import dev.syncline.connectors.spi.ConnectorException;

/**
 * A failure with where it happened: the stage that caught it knows whether it was reading or writing, and which
 * stream, so the attempt's outcome needs no bookkeeping of its own about where it was. The cause is a connector's
 * {@link ConnectorException}, or for {@link FailureOrigin#PLATFORM} whatever else went wrong (its database away, a bug).
 */
final class StageFailure extends Exception {
    private final FailureOrigin origin;
    private final String stream;

    private StageFailure(FailureOrigin origin, String stream, Throwable cause) {
        super(cause.getMessage(), cause, false, false);
        this.origin = origin;
        this.stream = stream;
    }

    static StageFailure source(String stream, ConnectorException cause) {
        return new StageFailure(FailureOrigin.SOURCE, stream, cause);
    }

    static StageFailure destination(String stream, ConnectorException cause) {
        return new StageFailure(FailureOrigin.DESTINATION, stream, cause);
    }

    static StageFailure platform(String stream, RuntimeException cause) {
        return new StageFailure(FailureOrigin.PLATFORM, stream, cause);
    }

    FailureOrigin origin() {
        return origin;
    }

    /** The stream being read or written, when known. */
    String stream() {
        return stream;
    }
}
