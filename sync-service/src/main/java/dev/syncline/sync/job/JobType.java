package dev.syncline.sync.job;

/** What a job does: sync the connection, clear some of its streams, or refresh them (read them again). */
public enum JobType implements WireNamed {
    SYNC,
    CLEAR,
    REFRESH;

    /** A clear or refresh makes a new generation of the streams it covers. */
    boolean renewsGenerations() {
        return this != SYNC;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<JobType> {
        public Column() {
            super(JobType.class);
        }
    }
}
