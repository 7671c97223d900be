package dev.syncline.connectors.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What every source must do. Subclasses give a config, bad configs, and a way to change the source's data. */
public abstract class SourceConformance {
    protected static final ObjectMapper JSON = new ObjectMapper();

    protected abstract SourceConnector source();

    protected abstract ObjectNode config();

    /** Configs that must fail the check, each with a fragment of the message the user must see. */
    protected abstract Map<ObjectNode, String> badConfigs();

    /** A stream that supports incremental reads, with an integer {@code id} field. */
    protected abstract String incrementalStream();

    /** Its cursor field. */
    protected abstract String cursorField();

    /** How many rows a full refresh of {@link #incrementalStream()} reads. */
    protected abstract long fullRefreshRows();

    /** Adds and changes rows of {@link #incrementalStream()}; returns the config to read it with afterwards. */
    protected abstract ObjectNode changeSource() throws Exception;

    /**
     * The ids the incremental read after {@link #changeSource()} must return: the new and changed rows, plus the
     * rows at the saved cursor value (cursors are inclusive).
     */
    protected abstract Set<Long> idsAfterChange();

    protected Stream stream(ObjectNode config, String name) throws Exception {
        return source().discover(config).streams().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    protected ConfiguredCatalog configured(Stream s, SyncMode mode) {
        return new ConfiguredCatalog(List.of(new ConfiguredStream(s, s.fields(), mode,
                mode == SyncMode.INCREMENTAL ? DestinationSyncMode.APPEND : DestinationSyncMode.OVERWRITE,
                List.of(cursorField()), s.sourceDefinedPrimaryKey(), null, s.name())));
    }

    /** Everything a read emits: records of the stream, and its last state. */
    protected record Read(List<Map<String, Object>> records, Map<String, JsonNode> state) { }

    protected Read read(ObjectNode config, ConfiguredCatalog catalog, Map<String, JsonNode> state) throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        Map<String, JsonNode> last = new HashMap<>(state);
        try (MessageReader r = source().read(config, catalog, state)) {
            while (r.hasNext()) {
                switch (r.next()) {
                    case SourceMessage.RecordMessage m -> records.add(m.data());
                    case SourceMessage.StateMessage s -> last.put(s.key(), s.state());
                    case SourceMessage.LogMessage l -> { }
                    case SourceMessage.RejectedRecord x -> throw new AssertionError("the source rejected " + x);
                }
            }
        }
        return new Read(records, last);
    }

    static Set<Long> ids(List<Map<String, Object>> records) {
        Set<Long> ids = new TreeSet<>();
        records.forEach(r -> ids.add(((Number) r.get("id")).longValue()));
        return ids;
    }

    @Test
    void specIsAJsonSchema() {
        ObjectNode spec = source().definition().spec();
        assertThat(spec.path("type").asText()).isEqualTo("object");
        var metaSchema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(java.net.URI.create("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(spec)).isEmpty();
    }

    @Test
    void checkSucceedsOrTellsWhatIsWrong() {
        assertThat(source().check(config()).succeeded()).as(source().check(config()).message()).isTrue();
        badConfigs().forEach((config, fragment) -> {
            CheckResult r = source().check(config);
            assertThat(r.succeeded()).as(config.toString()).isFalse();
            assertThat(r.message()).as(config.toString()).contains(fragment).doesNotContain("Exception").doesNotContain("\tat ");
        });
    }

    @Test
    void discoverIsStable() throws Exception {
        Catalog first = source().discover(config());
        assertThat(first.streams()).isNotEmpty();
        assertThat(source().discover(config())).isEqualTo(first);
        assertThat(first.streams().stream().filter(s -> s.name().equals(incrementalStream())).findFirst().orElseThrow()
                .supportedSyncModes()).contains(SyncMode.INCREMENTAL);
    }

    @Test
    void fullRefreshReadsEveryRow() throws Exception {
        Read r = read(config(), configured(stream(config(), incrementalStream()), SyncMode.FULL_REFRESH), Map.of());
        assertThat(r.records()).hasSize((int) fullRefreshRows());
        assertThat(ids(r.records())).hasSize((int) fullRefreshRows());
    }

    @Test
    void aSecondIncrementalReadReturnsOnlyNewOrChangedRows() throws Exception {
        Stream s = stream(config(), incrementalStream());
        Read first = read(config(), configured(s, SyncMode.INCREMENTAL), Map.of());
        assertThat(first.records()).hasSize((int) fullRefreshRows());
        assertThat(first.state()).isNotEmpty();
        ObjectNode after = changeSource();
        Read second = read(after, configured(stream(after, incrementalStream()), SyncMode.INCREMENTAL), first.state());
        assertThat(ids(second.records())).isEqualTo(idsAfterChange());
    }
}
