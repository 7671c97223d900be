package dev.syncline.kit.auth;

/**
 * What a REST resource method needs, named on the method itself: {@code @PermissionsAllowed(Permissions.READ)}.
 * Which role carries which is {@link Role}'s table. A method without a security annotation is refused to everyone
 * ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}), and each service's tests fail on one.
 */
public final class Permissions {
    /** Reads: any role (admin, editor, viewer, service). */
    public static final String READ = "read";
    /** Changes to sources, destinations, connections, tags, syncs and rejected records: admin and editor. */
    public static final String CHANGE = "change";
    /** Issuing, listing and revoking API keys: admin only. */
    public static final String API_KEYS = "api-keys";

    private Permissions() { }
}
