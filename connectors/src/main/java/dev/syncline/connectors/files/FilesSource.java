package dev.syncline.connectors.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * CSV and JSON-lines files from a local path or glob, as one stream: its schema inferred from a sample of rows,
 * incremental by file modification time (a changed or new file is read again whole).
 */
public final class FilesSource implements SourceConnector {
    public static final String ID = "files";
    static final String FILE_URL = "_ab_source_file_url";
    static final String FILE_MODIFIED = "_ab_source_file_last_modified";
    private static final ObjectNode SPEC = ConfigSchema.of(FilesSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorReach reach;

    /** {@code reach}: files only under the roots an admin opened to connectors. */
    public FilesSource(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Files (CSV, JSON lines)", ConnectorKind.SOURCE, SPEC.deepCopy());
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        String path;
        try {
            path = ConfigSchema.read(config, FilesSettings.class).path();
        } catch (ConnectorException e) {
            return List.of(); // the spec's validation says what is wrong
        }
        if (path.isBlank() || !FilesConfig.safe(path)) {
            return List.of(); // the spec's validation says what is wrong with it
        }
        try {
            reach.file(FilesConfig.checkedPath(path));
            return List.of();
        } catch (ReachRefused e) {
            return List.of(e.of("path"));
        }
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            FilesConfig cfg = FilesConfig.of(config, reach);
            Path first = cfg.files().getFirst();
            try (RowFiles.Rows rows = RowFiles.open(cfg, cfg.readable(first))) {
                if (rows.hasNext()) {
                    rows.next();
                }
            } catch (IOException | RuntimeException e) {
                return CheckResult.failed("cannot read " + first + " as " + cfg.format() + ": " + firstLine(e));
            }
            return CheckResult.ok();
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(JsonNode config) throws ConnectorException {
        FilesConfig cfg = FilesConfig.of(config, reach);
        Map<String, FieldType> types = new LinkedHashMap<>();
        int sampled = 0;
        for (Path file : cfg.files()) {
            try (RowFiles.Rows rows = RowFiles.open(cfg, cfg.readable(file))) {
                while (rows.hasNext() && sampled < cfg.sampleRows()) {
                    for (var e : rows.next().entrySet()) {
                        types.put(e.getKey(), TypeInference.widen(types.get(e.getKey()), e.getValue()));
                    }
                    sampled++;
                }
            } catch (IOException | RuntimeException e) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "cannot read " + file + " as "
                        + cfg.format() + ": " + firstLine(e));
            }
            if (sampled >= cfg.sampleRows()) {
                break;
            }
        }
        List<Field> fields = new ArrayList<>();
        types.forEach((name, type) -> fields.add(Field.of(name, type == null ? FieldType.STRING : type)));
        fields.add(Field.of(FILE_URL, FieldType.STRING));
        fields.add(Field.of(FILE_MODIFIED, FieldType.TIMESTAMP_TZ));
        return new Catalog(List.of(new Stream(null, cfg.streamName(), fields,
                Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), true, List.of(FILE_MODIFIED), List.of())));
    }

    @Override
    public MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        FilesConfig cfg = FilesConfig.of(config, reach);
        List<ConfiguredStream> streams = catalog.streams();
        if (streams.isEmpty()) {
            return reader(cfg, null, new ArrayDeque<>(), null, Set.of());
        }
        ConfiguredStream s = streams.getFirst();
        JsonNode st = state.get(s.stream().qualifiedName());
        Instant from = s.syncMode() == SyncMode.INCREMENTAL && st != null && st.hasNonNull("cursor")
                ? Instant.parse(st.get("cursor").asText()) : null;
        Set<String> seenAtCursor = new java.util.HashSet<>();
        if (from != null && st.has("files_at_cursor")) {
            st.get("files_at_cursor").forEach(n -> seenAtCursor.add(n.asText()));
        }
        Deque<Path> files = new ArrayDeque<>();
        for (Path f : cfg.files()) {
            // a file modified after the cursor, or at it but not read then: new or changed since the last read
            Instant m = FilesConfig.modified(f);
            if (from == null || m.isAfter(from) || (m.equals(from) && !seenAtCursor.contains(f.toString()))) {
                files.add(f);
            }
        }
        return reader(cfg, s, files, from, seenAtCursor);
    }

    private static MessageReader reader(FilesConfig cfg, ConfiguredStream s, Deque<Path> files, Instant from,
                                        Set<String> seenAtCursor) {
        return new MessageReader() {
            private final Set<String> atMax = new java.util.TreeSet<>(seenAtCursor);
            private RowFiles.Rows rows;
            private Path file;
            private String modified;
            private Instant max = from;
            private boolean done = s == null;
            private SourceMessage next;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = advance();
                }
                return next != null;
            }

            private SourceMessage advance() {
                try {
                    while (true) {
                        if (rows != null && rows.hasNext()) {
                            Map<String, Object> raw = rows.next();
                            Map<String, Object> data = new LinkedHashMap<>();
                            for (Field f : s.fields()) {
                                data.put(f.name(), TypeInference.convert(raw.get(f.name()), f.type()));
                            }
                            data.put(FILE_URL, file.toString());
                            data.put(FILE_MODIFIED, modified);
                            return new SourceMessage.RecordMessage(null, s.stream().name(), data, Instant.now());
                        }
                        if (rows != null) {
                            rows.close();
                            rows = null;
                        }
                        file = files.poll();
                        if (file == null) {
                            done = true;
                            ObjectNode st = JSON.createObjectNode();
                            st.put("cursor", max == null ? null : max.toString());
                            atMax.forEach(st.putArray("files_at_cursor")::add);
                            return new SourceMessage.StateMessage(null, s.stream().name(), st);
                        }
                        Instant m = FilesConfig.modified(file);
                        modified = m.toString();
                        if (max == null || m.isAfter(max)) {
                            max = m;
                            atMax.clear();
                        }
                        if (m.equals(max)) {
                            atMax.add(file.toString());
                        }
                        rows = RowFiles.open(cfg, cfg.readable(file));
                    }
                } catch (ReachRefused e) {
                    throw new UncheckedConnectorException(e);
                } catch (IOException | RuntimeException e) {
                    throw new UncheckedConnectorException(new ConnectorException(ConnectorException.Type.CONFIG,
                            "cannot read " + file + ": " + firstLine(e)));
                }
            }

            @Override
            public SourceMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SourceMessage m = next;
                next = null;
                return m;
            }

            @Override
            public void close() {
                done = true;
                try {
                    if (rows != null) {
                        rows.close();
                    }
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        };
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

}
