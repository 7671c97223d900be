package dev.syncline.stack;

import dev.syncline.testing.SecretKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The two keys the launcher makes on first start and keeps with the data, each in an owner-only file: the first
 * admin API key ({@value #ADMIN}) and the credential the services' own calls carry ({@value #SERVICE}).
 */
final class ApiKeyFiles {
    static final String ADMIN = "admin.key";
    static final String SERVICE = "service.key";

    /** The keys, and whether this start made the admin key. */
    record Keys(String admin, String service, boolean adminIsNew) { }

    private ApiKeyFiles() { }

    static Keys load(Path dir) {
        boolean fresh = !Files.exists(dir.resolve(ADMIN));
        return new Keys(readOrCreate(dir.resolve(ADMIN)), readOrCreate(dir.resolve(SERVICE)), fresh);
    }

    private static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                String key = SecretKeys.apiKey();
                try {
                    // created owner-only, never readable by others even for a moment
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file); // not a POSIX file system
                }
                Files.writeString(file, key + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
                return key;
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep an API key in " + file + ": " + e.getMessage(), e);
        }
    }
}
