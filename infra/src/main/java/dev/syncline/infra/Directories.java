package dev.syncline.infra;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Removes what a test or benchmark left on disk once its servers have stopped: a PostgreSQL data folder after a
 * million-row sync is about a gigabyte, and a CI machine's disk is small.
 */
public final class Directories {
    private Directories() { }

    /** Deletes {@code dir} and everything under it, keeping the entries directly inside it named in {@code keep}. */
    public static void deleteExcept(Path dir, Set<String> keep) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!keep.contains(p.getFileName().toString())) {
                    delete(p);
                }
            }
            if (keep.isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            System.err.println("[cleanup] could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Deletes {@code dir} and everything under it. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("[cleanup] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
