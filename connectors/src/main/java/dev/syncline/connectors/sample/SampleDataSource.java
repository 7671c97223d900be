package dev.syncline.connectors.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
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
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Deterministic sample data: the same seed and row count always give the same rows. Can emit malformed
 * rows on request (a null primary key, text in an integer field) to exercise rejections.
 */
public final class SampleDataSource implements SourceConnector {
    public static final String ID = "sample-data";
    static final String USERS = "users";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectNode SPEC = (ObjectNode) readSpec();

    static final Stream USERS_STREAM = new Stream(null, USERS, List.of(
            Field.required("id", FieldType.INTEGER),
            Field.of("name", FieldType.STRING),
            Field.of("email", FieldType.STRING),
            Field.of("age", FieldType.INTEGER),
            Field.of("score", FieldType.NUMBER),
            Field.of("active", FieldType.BOOLEAN),
            Field.of("country", FieldType.STRING),
            Field.of("created_at", FieldType.TIMESTAMP_TZ),
            Field.of("updated_at", FieldType.TIMESTAMP_TZ)),
            Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), true, List.of("updated_at"), List.of(List.of("id")));

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Sample Data", ConnectorKind.SOURCE, SPEC.deepCopy());
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            SampleConfig.of(config);
            return CheckResult.ok();
        } catch (IllegalArgumentException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(JsonNode config) throws ConnectorException {
        config(config);
        return new Catalog(List.of(USERS_STREAM));
    }

    @Override
    public MessageReader read(JsonNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state)
            throws ConnectorException {
        SampleConfig cfg = config(config);
        Deque<ConfiguredStream> streams = new ArrayDeque<>(catalog.streams().stream()
                .filter(s -> s.stream().name().equals(USERS)).toList());
        return new UsersReader(cfg, streams, state);
    }

    private static SampleConfig config(JsonNode config) throws ConnectorException {
        try {
            return SampleConfig.of(config);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, e.getMessage());
        }
    }

    private static JsonNode readSpec() {
        try (var in = SampleDataSource.class.getResourceAsStream("spec.json")) {
            return JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sample-data spec.json missing", e);
        }
    }

    /** Generates users lazily: memory stays flat whatever the row count. */
    private static final class UsersReader implements MessageReader {
        private final SampleConfig cfg;
        private final Deque<ConfiguredStream> streams;
        private final Map<String, JsonNode> state;
        private final SampleUsers users;
        private ConfiguredStream current;
        private String cursorFrom;
        private String maxCursor;
        private long nextId;
        private SourceMessage next;

        UsersReader(SampleConfig cfg, Deque<ConfiguredStream> streams, Map<String, JsonNode> state) {
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
                    JsonNode s = state.get(current.stream().qualifiedName());
                    cursorFrom = current.syncMode() == SyncMode.INCREMENTAL && s != null && s.hasNonNull("cursor")
                            ? s.get("cursor").asText() : null;
                }
                while (nextId <= cfg.rows()) {
                    Map<String, Object> row = users.row(nextId++);
                    String updatedAt = (String) row.get("updated_at");
                    // inclusive cursor, like Airbyte: a row at the cursor value is read again
                    if (cursorFrom != null && updatedAt.compareTo(cursorFrom) < 0) {
                        continue;
                    }
                    if (maxCursor == null || updatedAt.compareTo(maxCursor) > 0) {
                        maxCursor = updatedAt;
                    }
                    return new SourceMessage.RecordMessage(null, USERS, row, Instant.now());
                }
                ConfiguredStream done = current;
                current = null;
                ObjectNode st = JSON.createObjectNode();
                st.put("cursor", maxCursor != null ? maxCursor : cursorFrom);
                return new SourceMessage.StateMessage(null, done.stream().name(), st);
            }
        }

        @Override
        public void close() {
            streams.clear();
            current = null;
        }
    }
}
