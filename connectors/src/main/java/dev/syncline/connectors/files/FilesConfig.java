package dev.syncline.connectors.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConnectorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files source's settings, and the files they designate (oldest first), only under the roots an admin opened to
 * connectors ({@code reach}).
 */
record FilesConfig(String path, String streamName, String format, char delimiter, char quote, boolean header,
                   Charset encoding, int sampleRows, ConnectorReach reach) {

    static FilesConfig of(JsonNode c, ConnectorReach reach) throws ConnectorException {
        FilesSettings s = ConfigSchema.read(c, FilesSettings.class);
        String path = s.path();
        if (path.isBlank()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "path is required");
        }
        if (!safe(path)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, UNSAFE_PATH);
        }
        String format = s.format() != null ? s.format().name().toLowerCase(Locale.ROOT) : formatOf(path);
        String delimiter = s.delimiter() != null ? s.delimiter() : path.toLowerCase(Locale.ROOT).endsWith(".tsv") ? "\t" : ",";
        if (delimiter.equals("\\t")) {
            delimiter = "\t";
        }
        Charset charset;
        try {
            charset = Charset.forName(s.encoding());
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "unknown encoding " + s.encoding());
        }
        String name = s.streamName() != null ? s.streamName() : defaultName(path);
        return new FilesConfig(path, name, format, delimiter.charAt(0), s.quoteChar().charAt(0), s.header(), charset,
                s.sampleRows(), reach);
    }

    static final String UNSAFE_PATH = "path must be absolute, with no '..' segment and no control character";

    /** An absolute path that cannot climb out of the folder it names (no {@code ..} segment), without control characters. */
    static boolean safe(String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return false;
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String formatOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".jsonl") || p.endsWith(".ndjson") || p.endsWith(".json") ? "jsonl" : "csv";
    }

    private static String defaultName(String path) {
        Path p = Path.of(path);
        String file = p.getFileName().toString();
        if (isGlob(file)) {
            return p.getParent() == null ? "files" : p.getParent().getFileName().toString();
        }
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    static boolean isGlob(String s) {
        return s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{");
    }

    /** The folder a glob is walked from (the deepest one without a glob character), or the file itself. */
    static Path checkedPath(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!isGlob(path)) {
            return p;
        }
        Path base = p.getRoot();
        for (Path part : p) {
            if (isGlob(part.toString())) {
                break;
            }
            base = base.resolve(part);
        }
        return base;
    }

    /**
     * The matching regular files, oldest modification first (then by path), each under a root once its links are
     * resolved: a file or folder outside the roots is refused before anything says whether it exists.
     */
    List<Path> files() throws ConnectorException {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!isGlob(path)) {
            Path real = reach.file(p);
            if (!Files.isRegularFile(real)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "no file at " + path);
            }
            if (!Files.isReadable(real)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "file " + path + " is not readable");
            }
            return List.of(p);
        }
        Path base = checkedPath(path);
        Path realBase = reach.file(base);
        if (!Files.isDirectory(realBase)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "no folder " + base + " for " + path);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + p);
        List<Path> matched;
        try (Stream<Path> walk = Files.walk(realBase)) {
            // matched by the names the user wrote (the root itself may be a link)
            matched = walk.filter(Files::isRegularFile).map(f -> base.resolve(realBase.relativize(f)))
                    .filter(matcher::matches).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "cannot list " + base + ": " + e.getMessage());
        }
        List<Path> found = new ArrayList<>();
        for (Path f : matched) {
            reach.file(f); // a link in the folder that leads outside the roots refuses the whole read, naming it
            found.add(f);
        }
        if (found.isEmpty()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "no file matches " + path);
        }
        try {
            return found.stream().sorted(Comparator.comparing(FilesConfig::modified).thenComparing(Path::toString)).toList();
        } catch (UncheckedIOException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "cannot list " + base + ": " + e.getMessage());
        }
    }

    /** The file to open for one of {@link #files()}: checked again now, links resolved. */
    Path readable(Path file) throws ReachRefused {
        return reach.file(file);
    }

    static java.time.Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
