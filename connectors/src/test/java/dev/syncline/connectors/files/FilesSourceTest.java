package dev.syncline.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.SourceConformance;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesSourceTest extends SourceConformance {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        StringBuilder csv = new StringBuilder("id,name,age,score,active,joined\n");
        for (int i = 1; i <= 100; i++) {
            csv.append(i).append(",\"Name, ").append(i).append("\",").append(20 + i % 40).append(',').append(i * 1.5)
                    .append(',').append(i % 2 == 0).append(",2024-01-").append(String.format("%02d", 1 + i % 28)).append('\n');
        }
        write("users-1.csv", csv.toString(), Instant.parse("2024-01-01T00:00:00Z"));
    }

    void write(String name, String content, Instant modified) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(f, FileTime.from(modified));
    }

    @Override
    protected SourceConnector source() {
        return new FilesSource(dev.syncline.connectors.reach.ConnectorReach.builder().filesRoots(List.of(dir)).build());
    }

    @Override
    protected ObjectNode config() {
        return JSON.createObjectNode().put("path", dir.resolve("users-*.csv").toString()).put("stream_name", "users");
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        bad.put(JSON.createObjectNode().put("path", dir.resolve("nothing-*.csv").toString()), "no file matches");
        bad.put(JSON.createObjectNode().put("path", dir.resolve("missing.csv").toString()), "no file at");
        bad.put(config().put("encoding", "klingon"), "unknown encoding");
        return bad;
    }

    @Override
    protected String incrementalStream() {
        return "users";
    }

    @Override
    protected String cursorField() {
        return FilesSource.FILE_MODIFIED;
    }

    @Override
    protected long fullRefreshRows() {
        return 100;
    }

    @Override
    protected ObjectNode changeSource() throws Exception {
        write("users-2.csv", "id,name,age,score,active,joined\n101,Ada,36,1.0,true,2024-02-01\n102,Alan,41,2.0,false,2024-02-02\n",
                Instant.parse("2024-02-01T00:00:00Z"));
        return config();
    }

    @Override
    protected Set<Long> idsAfterChange() {
        return Set.of(101L, 102L); // only the new file: the one read before is not read again
    }

    @Test
    void infersTypesFromASampleAndKeepsQuotedDelimiters() throws Exception {
        Stream s = stream(config(), "users");
        assertThat(s.fields().stream().collect(Collectors.toMap(Field::name, Field::type))).containsAllEntriesOf(Map.of(
                "id", FieldType.INTEGER, "name", FieldType.STRING, "age", FieldType.INTEGER, "score", FieldType.NUMBER,
                "active", FieldType.BOOLEAN, "joined", FieldType.DATE, FilesSource.FILE_MODIFIED, FieldType.TIMESTAMP_TZ));
        Map<String, Object> first = read(config(), configured(s, SyncMode.FULL_REFRESH), Map.of()).records().getFirst();
        assertThat(first).containsEntry("id", 1L).containsEntry("name", "Name, 1").containsEntry("active", false);
    }

    @Test
    void readsJsonLinesAndTabSeparatedFiles() throws Exception {
        write("events.jsonl", "{\"id\": 1, \"tags\": [\"a\"], \"payload\": {\"k\": 1}}\n{\"id\": 2, \"tags\": [], \"payload\": null}\n",
                Instant.now());
        ObjectNode jsonl = JSON.createObjectNode().put("path", dir.resolve("events.jsonl").toString());
        Stream events = stream(jsonl, "events");
        assertThat(events.field("tags").orElseThrow().type()).isEqualTo(FieldType.ARRAY);
        assertThat(events.field("payload").orElseThrow().type()).isEqualTo(FieldType.OBJECT);
        assertThat(read(jsonl, configured(events, SyncMode.FULL_REFRESH), Map.of()).records()).hasSize(2);

        write("plain.tsv", String.join("\n", LongStream.rangeClosed(1, 5).mapToObj(i -> i + "\tv" + i).toList()) + "\n",
                Instant.now());
        ObjectNode tsv = JSON.createObjectNode().put("path", dir.resolve("plain.tsv").toString()).put("header", false);
        Stream plain = stream(tsv, "plain");
        assertThat(plain.fields()).extracting(Field::name).startsWith("column_1", "column_2");
        assertThat(read(tsv, configured(plain, SyncMode.FULL_REFRESH), Map.of()).records())
                .extracting(r -> r.get("column_1")).isEqualTo(List.of(1L, 2L, 3L, 4L, 5L));
    }
}
