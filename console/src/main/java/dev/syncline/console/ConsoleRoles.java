package dev.syncline.console;

/**
 * The roles a signed-in key has, as the console's resource methods name them: every page is for any signed-in key
 * ({@code @Authenticated}), every change for {@link #ADMIN} and {@link #EDITOR} ({@code @RolesAllowed}); viewers and
 * the services' credential look only. The services check the same key again on every call. Each constant is the wire
 * name of the {@link ConsoleRole} of the same name.
 */
final class ConsoleRoles {
    static final String ADMIN = "admin";
    static final String EDITOR = "editor";

    private ConsoleRoles() { }
}
