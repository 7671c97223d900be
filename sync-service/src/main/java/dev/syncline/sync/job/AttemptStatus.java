package dev.syncline.sync.job;

/** An attempt's status: running, then how it ended. */
public enum AttemptStatus implements WireNamed {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<AttemptStatus> {
        public Column() {
            super(AttemptStatus.class);
        }
    }
}
