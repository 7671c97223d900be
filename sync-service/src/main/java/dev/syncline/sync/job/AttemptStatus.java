package dev.syncline.sync.job;

/** An attempt's status: running, then how it ended. */
public enum AttemptStatus implements WireNamed {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wireName;

    AttemptStatus(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<AttemptStatus> {
        public Column() {
            super(AttemptStatus.class);
        }
    }
}
