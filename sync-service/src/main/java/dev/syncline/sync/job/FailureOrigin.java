package dev.syncline.sync.job;

/** Where an attempt failed: the part that threw. Its wire name travels in SyncFailed and the job API. */
public enum FailureOrigin {
    SOURCE("source"),
    DESTINATION("destination"),
    /** Syncline itself: its database away, a bug, an instance that stopped. */
    PLATFORM("platform");

    private final String wireName;

    FailureOrigin(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static FailureOrigin fromWireName(String name) {
        for (FailureOrigin o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown failure origin " + name);
    }
}
