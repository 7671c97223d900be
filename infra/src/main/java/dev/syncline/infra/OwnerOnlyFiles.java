package dev.syncline.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/** Secrets kept on disk (keys, passwords): each in a file only its owner reads, made so from its first byte. */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() { }

    /** The file's content (trimmed); a new value from {@code make} on first use, written owner-only (0600). */
    public static String readOrCreate(Path file, Supplier<String> make) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            String value = make.get();
            write(file, value);
            return value;
        } catch (FileAlreadyExistsException e) {
            return readOrCreate(file, make); // another thread made it first: take theirs
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep a secret in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a new file owner-only (0600); fails if it exists. */
    public static void write(Path file, String value) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            // created owner-only, never readable by others even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, value + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
