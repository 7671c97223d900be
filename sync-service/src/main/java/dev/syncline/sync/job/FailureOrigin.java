package dev.syncline.sync.job;

/** Where an attempt failed: the part that threw. Its wire name travels in SyncFailed and the job API. */
public enum FailureOrigin implements WireNamed {
    SOURCE,
    DESTINATION,
    /** Syncline itself: its database away, a bug, an instance that stopped. */
    PLATFORM;

    public static FailureOrigin fromWireName(String name) {
        return WireNamed.fromWireName(FailureOrigin.class, name);
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<FailureOrigin> {
        public Column() {
            super(FailureOrigin.class);
        }
    }
}
