package dev.syncline.sync.job;

import dev.syncline.connectors.spi.ConnectorException;

/** What kind of failure ended an attempt; only a config error is never retried. Wire names as in SyncFailed. */
public enum FailureType implements WireNamed {
    CONFIG_ERROR,
    TRANSIENT_ERROR,
    SYSTEM_ERROR;

    /** Another attempt may succeed: the settings are not what is wrong. */
    public boolean retryable() {
        return this != CONFIG_ERROR;
    }

    public static FailureType of(ConnectorException.Type type) {
        return switch (type) {
            case CONFIG -> CONFIG_ERROR;
            case TRANSIENT -> TRANSIENT_ERROR;
            case SYSTEM -> SYSTEM_ERROR;
        };
    }

    public static FailureType fromWireName(String name) {
        return WireNamed.fromWireName(FailureType.class, name);
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static final class Column extends WireNamed.Converter<FailureType> {
        public Column() {
            super(FailureType.class);
        }
    }
}
