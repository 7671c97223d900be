package dev.syncline.kit.auth;

import java.util.Locale;
import java.util.Set;

/**
 * What an API key may do: the role table, in one place. Each role grants {@link Permissions}; every REST resource
 * method names the one it needs ({@code @PermissionsAllowed}), which Quarkus checks after routing, on the method the
 * request reached (never on the request's path).
 */
public enum Role {
    /** Everything, and manages API keys. */
    ADMIN(Set.of(Permissions.READ, Permissions.CHANGE, Permissions.API_KEYS)),
    /** Sources, destinations, connections, syncs, rejected records: reads and changes; not API keys. */
    EDITOR(Set.of(Permissions.READ, Permissions.CHANGE)),
    /** Reads only, and never a config's secret fields. */
    VIEWER(Set.of(Permissions.READ)),
    /** The credential services and the console's own background calls carry: reads only, like a viewer. */
    SERVICE(Set.of(Permissions.READ));

    private final Set<String> permissions;

    Role(Set<String> permissions) {
        this.permissions = permissions;
    }

    public static Role parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The permissions a key of this role carries (see {@link Permissions}). */
    public Set<String> permissions() {
        return permissions;
    }

    /** Whether this role sees that a config has secret fields at all (masked); viewers never do. */
    public boolean seesSecretFields() {
        return this == ADMIN || this == EDITOR;
    }
}
