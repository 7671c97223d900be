package dev.syncline.sync.job;

import java.util.List;

/**
 * A job's status: pending until a runner takes it; running while an attempt runs; incomplete when an attempt failed
 * and a retry is due (or its instance stopped); then succeeded, failed or cancelled.
 */
public enum JobStatus implements WireNamed {
    PENDING("pending"),
    RUNNING("running"),
    INCOMPLETE("incomplete"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    /** Waiting for a runner: first or next attempt. */
    static final List<JobStatus> WAITING = List.of(PENDING, INCOMPLETE);

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

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
