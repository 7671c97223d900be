package dev.syncline.connectors.airbyte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.SourceConformance;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Runs a small protocol-speaking program of our own (CountriesSource.java, JDK only) through the connector. */
class AirbyteProcessSourceTest extends SourceConformance {
    int rows = 20;

    ObjectNode config(int rows, boolean fail) {
        ObjectNode c = JSON.createObjectNode();
        String script = Path.of("src/test/resources/airbyte/CountriesSource.java").toAbsolutePath().toString();
        c.putArray("command").add(Path.of(System.getProperty("java.home"), "bin", "java").toString()).add(script);
        c.putObject("config").put("rows", rows).put("fail", fail);
        return c;
    }

    @Override
    protected SourceConnector source() {
        return new AirbyteProcessSource();
    }

    @Override
    protected ObjectNode config() {
        return config(rows, false);
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        bad.put(config(5, true), "the fake says no");
        ObjectNode missing = JSON.createObjectNode();
        missing.putArray("command").add("/no/such/program");
        bad.put(missing, "could not start /no/such/program");
        return bad;
    }

    @Override
    protected String incrementalStream() {
        return "countries";
    }

    @Override
    protected String cursorField() {
        return "updated_at";
    }

    @Override
    protected long fullRefreshRows() {
        return 20;
    }

    @Override
    protected ObjectNode changeSource() {
        rows = 25;
        return config();
    }

    @Override
    protected Set<Long> idsAfterChange() {
        return Set.of(20L, 21L, 22L, 23L, 24L, 25L); // resumed from the state it emitted; 20 holds the cursor
    }

    @Test
    void mapsTheJsonSchemaOfTheCatalog() throws Exception {
        Stream s = stream(config(), "countries");
        assertThat(s.sourceDefinedCursor()).isTrue();
        assertThat(s.defaultCursorField()).containsExactly("updated_at");
        assertThat(s.sourceDefinedPrimaryKey()).containsExactly(List.of("id"));
        assertThat(s.field("id").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
        assertThat(s.field("updated_at").orElseThrow().type()).isEqualTo(FieldType.TIMESTAMP_TZ);
        assertThat(s.field("tags").orElseThrow().type()).isEqualTo(FieldType.ARRAY);
    }

    @Test
    void aFailingReadReportsTheConnectorsTraceMessage() throws Exception {
        Stream s = stream(config(), "countries");
        assertThatThrownBy(() -> read(config(5, true), configured(s, SyncMode.FULL_REFRESH), Map.of()))
                .isInstanceOf(UncheckedConnectorException.class).hasMessageContaining("the fake cannot read");
    }
}
