package dev.syncline.connectors.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.SyncMode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Deterministic sample data: the same seed and row count always give the same rows. Can emit malformed
 * rows on request (a null primary key, text in an integer field) to exercise rejections.
 */
public final class SampleDataSource implements SourceConnector {
    public static final String ID = "sample-data";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectNode SPEC = ConfigSchema.of(SampleConfig.class);

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Sample Data", ConnectorKind.SOURCE, SPEC.deepCopy());
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            config(config);
            return CheckResult.ok();
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(JsonNode config) throws ConnectorException {
        config(config);
        return new Catalog(SampleCatalog.STREAMS);
    }

    @Override
    public MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        SampleConfig cfg = config(config);
        Deque<ConfiguredStream> streams = new ArrayDeque<>();
        for (ConfiguredStream s : catalog.streams()) {
            if (SampleCatalog.STREAMS.stream().noneMatch(k -> k.name().equals(s.stream().name()))) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "sample-data has no stream " + s.stream().name());
            }
            streams.add(s);
        }
        return new SampleReader(cfg, streams, state);
    }

    private static SampleConfig config(JsonNode config) throws ConnectorException {
        return ConfigSchema.read(config, SampleConfig.class);
    }

    /**
     * Generates rows lazily, stream after stream: memory stays flat whatever the row count. Incremental reads
     * return rows with a cursor at or after the saved one (inclusive, like Airbyte), then the new cursor.
     */
    private static final class SampleReader implements MessageReader {
        private final SampleConfig cfg;
        private final Deque<ConfiguredStream> streams;
        private final Map<String, JsonNode> state;
        private final SampleUsers users;
        private ConfiguredStream current;
        private long count;
        private String cursorFrom;
        private String maxCursor;
        private long nextId;
        private SourceMessage next;

        SampleReader(SampleConfig cfg, Deque<ConfiguredStream> streams, Map<String, JsonNode> state) {
            this.cfg = cfg;
            this.streams = streams;
            this.state = state;
            this.users = new SampleUsers(cfg.seed(), cfg.rows(), cfg.malformedRows());
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
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

        private SourceMessage advance() {
            while (true) {
                if (current == null) {
                    current = streams.poll();
                    if (current == null) {
                        return null;
                    }
                    nextId = 1;
                    maxCursor = null;
                    count = SampleCatalog.count(cfg, current.stream().name());
                    JsonNode s = state.get(current.stream().qualifiedName());
                    cursorFrom = current.syncMode() == SyncMode.INCREMENTAL && s != null && s.hasNonNull("cursor")
                            ? s.get("cursor").asText() : null;
                }
                String name = current.stream().name();
                while (nextId <= count) {
                    Map<String, Object> row = SampleCatalog.row(cfg, users, name, nextId++);
                    String updatedAt = (String) row.get("updated_at");
                    if (cursorFrom != null && updatedAt.compareTo(cursorFrom) < 0) {
                        continue;
                    }
                    if (maxCursor == null || updatedAt.compareTo(maxCursor) > 0) {
                        maxCursor = updatedAt;
                    }
                    return new SourceMessage.RecordMessage(null, name, row, Instant.now());
                }
                current = null;
                ObjectNode st = JSON.createObjectNode();
                st.put("cursor", maxCursor != null ? maxCursor : cursorFrom);
                return new SourceMessage.StateMessage(null, name, st);
            }
        }

        @Override
        public void close() {
            streams.clear();
            current = null;
        }
    }
}
