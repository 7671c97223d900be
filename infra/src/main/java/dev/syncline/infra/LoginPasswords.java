package dev.syncline.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The passwords of a PostgreSQL server's login roles, each made at random on first use: kept owner-only in a folder,
 * one file per role (a server whose data outlives the process), or in memory (a server started elsewhere).
 */
public final class LoginPasswords {
    private final Path folder;
    private final Map<String, String> memory = new ConcurrentHashMap<>();

    private LoginPasswords(Path folder) {
        this.folder = folder;
    }

    /** Passwords in {@code folder}, one owner-only file per role (the file's name is the role's). */
    public static LoginPasswords kept(Path folder) {
        return new LoginPasswords(folder);
    }

    /** Passwords in memory, starting with the ones given (e.g. a container's superuser). */
    public static LoginPasswords inMemory(Map<String, String> given) {
        LoginPasswords p = new LoginPasswords(null);
        p.memory.putAll(given);
        return p;
    }

    /** The role's password, made on first use. */
    public String of(String role) {
        if (!PostgresServer.isPlainName(role)) {
            throw new IllegalArgumentException("not a plain role name: " + role);
        }
        return folder == null ? memory.computeIfAbsent(role, r -> SecretKeys.password())
                : OwnerOnlyFiles.readOrCreate(folder.resolve(role), SecretKeys::password);
    }

    /** The file the role's password is kept in, or null when kept in memory. */
    public Path file(String role) {
        return folder == null ? null : folder.resolve(role);
    }

    public DatabaseLogin login(String role) {
        return new DatabaseLogin(role, of(role));
    }
}
