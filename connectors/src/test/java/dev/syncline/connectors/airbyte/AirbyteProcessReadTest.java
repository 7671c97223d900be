package dev.syncline.connectors.airbyte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read output of an Airbyte protocol command, line by line: a command of a few shell lines prints what each test
 * gives it and keeps the state file it was handed, so what goes in and what comes out are both seen.
 */
class AirbyteProcessReadTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORD_1 = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":1700000000000,"
            + "\"data\":{\"id\":1,\"name\":\"France\"}}}";
    static final String RECORD_3 = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":1700000000000,"
            + "\"data\":{\"id\":3,\"name\":\"Japan\"}}}";
    static final String BROKEN = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"data\":{\"id\":2,\"name\":\"Ger";

    @TempDir
    Path dir;

    Path received() {
        return dir.resolve("received-state.json");
    }

    /** A command that prints {@code lines} when it reads, and copies the state file it is given to {@link #received()}. */
    ObjectNode replaying(List<String> lines, String malformed) throws Exception {
        Path out = dir.resolve("output.jsonl");
        Files.write(out, lines);
        String script = "for a; do if [ \"$prev\" = --state ]; then cp \"$a\" '" + received() + "'; fi; prev=$a; done; cat '"
                + out + "'";
        ObjectNode c = JSON.createObjectNode();
        c.putArray("command").add("sh").add("-c").add(script).add("replay");
        if (malformed != null) {
            c.put("malformed_records", malformed);
        }
        return c;
    }

    static ConfiguredCatalog catalog() {
        Stream s = new Stream(null, "countries", List.of(Field.of("id", FieldType.INTEGER), Field.of("name", FieldType.STRING)),
                Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), false, List.of(), List.of(List.of("id")));
        return new ConfiguredCatalog(List.of(ConfiguredStream.fullRefreshOverwrite(s)));
    }

    static List<SourceMessage> read(ObjectNode config, Map<String, JsonNode> state) throws Exception {
        List<SourceMessage> out = new ArrayList<>();
        try (MessageReader r = new AirbyteProcessSource().read(config, catalog(), state)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aRecordLineThatIsNotJsonFailsTheReadWithItsLineNumberAndText() throws Exception {
        ObjectNode config = replaying(List.of(RECORD_1, BROKEN, RECORD_3), null);
        assertThatThrownBy(() -> read(config, Map.of())).isInstanceOfSatisfying(UncheckedConnectorException.class, e -> {
            assertThat(e.connectorException().type()).isEqualTo(ConnectorException.Type.CONFIG);
            assertThat(e.getMessage()).contains("line 2 ").contains("is not valid JSON").contains("\"name\":\"Ger");
        });
    }

    @Test
    void whereTheUserChoseSoAMalformedLineBecomesARejectedRecordOfTheStreamItNames() throws Exception {
        List<SourceMessage> messages = read(replaying(List.of(RECORD_1, BROKEN, RECORD_3), "reject"), Map.of());
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1)).isInstanceOfSatisfying(SourceMessage.RejectedRecord.class, r -> {
            assertThat(r.stream()).isEqualTo("countries");
            assertThat(r.data()).containsEntry("line", 2L).containsEntry("text", BROKEN);
            assertThat(r.reasons()).singleElement().satisfies(reason -> {
                assertThat(reason.code()).isEqualTo(Rejection.Code.INVALID_FORMAT);
                assertThat(reason.message()).contains("line 2");
            });
        });
        // a broken line that names no stream of the connection cannot be kept as one of its records
        assertThatThrownBy(() -> read(replaying(List.of("{\"type\":\"RECORD\",\"record\":"), "reject"), Map.of()))
                .hasMessageContaining("line 1 ").hasMessageContaining("names no stream");
    }

    @Test
    void eachRecordKeepsItsEmittedAtAndTheChangesTheSourceMadeAndPlainTextIsTheCommandsLog() throws Exception {
        String changed = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"countries\",\"emitted_at\":1600000000123,"
                + "\"data\":{\"id\":2,\"name\":null},\"meta\":{\"changes\":[{\"field\":\"name\",\"change\":\"NULLED\","
                + "\"reason\":\"SOURCE_FIELD_SIZE_LIMITATION\"}]}}}";
        List<SourceMessage> messages = read(replaying(List.of("starting up", RECORD_1, changed), null), Map.of());
        assertThat(messages.getFirst()).isEqualTo(new SourceMessage.LogMessage("INFO", "starting up"));
        assertThat(messages.get(1)).isInstanceOfSatisfying(SourceMessage.RecordMessage.class, r -> {
            assertThat(r.emittedAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
            assertThat(r.changes()).isEmpty();
        });
        assertThat(messages.get(2)).isInstanceOfSatisfying(SourceMessage.RecordMessage.class, r -> {
            assertThat(r.emittedAt()).isEqualTo(Instant.ofEpochMilli(1600000000123L));
            assertThat(r.changes()).containsExactly(new SourceMessage.Change("name", "NULLED", "SOURCE_FIELD_SIZE_LIMITATION"));
        });
    }

    @Test
    void aGlobalStateComesBackToTheCommandAsItCame() throws Exception {
        String global = "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":4242},\"stream_states\":[{"
                + "\"stream_descriptor\":{\"name\":\"countries\"},\"stream_state\":{\"cursor\":\"3\"}}]}}";
        List<SourceMessage> messages = read(replaying(List.of(RECORD_1, "{\"type\":\"STATE\",\"state\":" + global + "}"), null),
                Map.of());
        SourceMessage.StateMessage state = (SourceMessage.StateMessage) messages.get(1);
        assertThat(state.wholeSource()).isTrue();
        assertThat(state.key()).isEqualTo(SourceMessage.StateMessage.WHOLE_SOURCE);
        assertThat(state.state()).isEqualTo(JSON.readTree(global));

        read(replaying(List.of(RECORD_3), null), Map.of(state.key(), state.state()));
        assertThat(JSON.readTree(received().toFile())).isEqualTo(JSON.createArrayNode().add(JSON.readTree(global)));
    }

    @Test
    void aLegacyStateComesBackAsItsDataAsTheAirbytePlatformGivesIt() throws Exception {
        String legacy = "{\"data\":{\"countries\":{\"cursor\":\"3\"}}}";
        List<SourceMessage> messages = read(replaying(List.of("{\"type\":\"STATE\",\"state\":" + legacy + "}"), null), Map.of());
        SourceMessage.StateMessage state = (SourceMessage.StateMessage) messages.getFirst();
        assertThat(state.wholeSource()).isTrue();

        read(replaying(List.of(RECORD_3), null), Map.of(state.key(), state.state()));
        assertThat(JSON.readTree(received().toFile())).isEqualTo(JSON.readTree("{\"countries\":{\"cursor\":\"3\"}}"));
    }

    @Test
    void aRecordOfAStreamTheConnectionDoesNotSyncIsANonRetryableSourceError() throws Exception {
        ObjectNode config = replaying(List.of(RECORD_1,
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"cities\",\"emitted_at\":0,\"data\":{\"id\":1}}}"), null);
        assertThatThrownBy(() -> read(config, Map.of())).isInstanceOfSatisfying(UncheckedConnectorException.class, e -> {
            assertThat(e.connectorException().type()).isEqualTo(ConnectorException.Type.CONFIG);
            assertThat(e.getMessage()).contains("line 2").contains("stream cities");
        });
    }
}
