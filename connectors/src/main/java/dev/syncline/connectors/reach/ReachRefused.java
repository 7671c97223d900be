package dev.syncline.connectors.reach;

import dev.syncline.connectors.spi.ConnectorException;

/**
 * A connector's config points where connectors may not go (see {@link ConnectorReach}): a configuration error, never
 * retried. {@link #part()} says which part of the target was refused, so a connector can name its setting.
 */
public final class ReachRefused extends ConnectorException {
    /** What was refused: the address (host and port), the database on it, or a file path. */
    public enum Part { ADDRESS, DATABASE, PATH }

    private final Part part;

    public ReachRefused(Part part, String message) {
        super(Type.CONFIG, message);
        this.part = part;
    }

    public Part part() {
        return part;
    }

    /** This refusal as the setting of a connector's config it is about. */
    public SettingRefused of(String setting) {
        return new SettingRefused(setting, getMessage());
    }
}
