package dev.syncline.sync.job;

import java.util.List;

/**
 * A job's status: pending until a runner takes it; running while an attempt runs; incomplete when an attempt failed
 * and a retry is due (or its instance stopped); then succeeded, failed or cancelled.
 */
public enum JobStatus implements WireNamed {
    PENDING,
    RUNNING,
    INCOMPLETE,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** Waiting for a runner: first or next attempt. */
    static final List<JobStatus> WAITING = List.of(PENDING, INCOMPLETE);

    /** Ended for good: no attempt follows. */
    boolean done() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Waiting for its first attempt or its next one. */
    boolean waiting() {
        return this == PENDING || this == INCOMPLETE;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<JobStatus> {
        public Column() {
            super(JobStatus.class);
        }
    }
}
