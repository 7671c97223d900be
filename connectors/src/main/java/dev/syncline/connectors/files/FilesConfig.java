package dev.syncline.connectors.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.spi.ConnectorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The files source's settings, and the files they designate (oldest first). */
record FilesConfig(String path, String streamName, String format, char delimiter, char quote, boolean header,
                   Charset encoding, int sampleRows) {

    static FilesConfig of(JsonNode c) throws ConnectorException {
        String path = c.path("path").asText("");
        if (path.isBlank()) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "path is required");
        }
        if (!safe(path)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, UNSAFE_PATH);
        }
        String format = c.hasNonNull("format") ? c.get("format").asText() : formatOf(path);
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "format must be csv or jsonl (cannot tell from " + path + ")");
        }
        String delimiter = c.path("delimiter").asText(path.toLowerCase(Locale.ROOT).endsWith(".tsv") ? "\t" : ",");
        if (delimiter.equals("\\t")) {
            delimiter = "\t";
        }
        Charset charset;
        try {
            charset = Charset.forName(c.path("encoding").asText("UTF-8"));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "unknown encoding " + c.path("encoding").asText());
        }
        String name = c.hasNonNull("stream_name") ? c.get("stream_name").asText() : defaultName(path);
        return new FilesConfig(path, name, format, delimiter.charAt(0), c.path("quote_char").asText("\"").charAt(0),
                c.path("header").asBoolean(true), charset, c.path("sample_rows").asInt(1000));
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

    /** The matching regular files, oldest modification first (then by path). */
    List<Path> files() throws ConnectorException {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!isGlob(path)) {
            if (!Files.isRegularFile(p)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "no file at " + path);
            }
            if (!Files.isReadable(p)) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "file " + path + " is not readable");
            }
            return List.of(p);
        }
        // walk from the deepest folder without a glob character
        Path base = p.getRoot();
        for (Path part : p) {
            if (isGlob(part.toString())) {
                break;
            }
            base = base.resolve(part);
        }
        if (!Files.isDirectory(base)) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "no folder " + base + " for " + path);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + p);
        try (Stream<Path> walk = Files.walk(base)) {
            List<Path> found = walk.filter(Files::isRegularFile).filter(matcher::matches)
                    .sorted(Comparator.comparing(FilesConfig::modified).thenComparing(Path::toString)).toList();
            if (found.isEmpty()) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "no file matches " + path);
            }
            return found;
        } catch (IOException | UncheckedIOException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "cannot list " + base + ": " + e.getMessage());
        }
    }

    static java.time.Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
