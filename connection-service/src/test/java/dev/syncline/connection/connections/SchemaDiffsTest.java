package dev.syncline.connection.connections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.streams.SchemaChanges;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.events.FieldChange;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Schema diffs kept for review (JSON) and what several of them add up to when approved. */
class SchemaDiffsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static StreamRef ref(String namespace, String name) {
        StreamRef r = new StreamRef();
        r.setNamespace(namespace);
        r.setName(name);
        return r;
    }

    static FieldChange change(String stream, String field, String kind, String from, String to) {
        FieldChange c = new FieldChange();
        c.setNamespace("public");
        c.setStream(stream);
        c.setField(List.of(field));
        c.setChange(kind);
        c.setFromType(from);
        c.setToType(to);
        return c;
    }

    static SchemaDiff diff(List<StreamRef> added, List<StreamRef> removed, List<FieldChange> changes) {
        SchemaDiff d = new SchemaDiff();
        d.setStreamsAdded(new ArrayList<>(added));
        d.setStreamsRemoved(new ArrayList<>(removed));
        d.setFieldChanges(new ArrayList<>(changes));
        return d;
    }

    static JsonNode stored(SchemaDiff d) {
        return JSON.valueToTree(SchemaDiffs.toMap(d));
    }

    @Test
    void aStoredDiffReadsBackAsItWas() {
        SchemaDiff d = diff(List.of(ref("public", "carts")), List.of(ref(null, "legacy")),
                List.of(change("users", "age", "type_changed", "integer", "string"), change("users", "email", "added", null, "string")));
        SchemaDiff back = SchemaDiffs.merged(List.of(stored(d)));
        assertThat(back.toString()).isEqualTo(d.toString());
        assertThat(stored(d).path("fieldChanges").get(0).path("fromType").asText()).isEqualTo("integer");
        assertThat(stored(d).path("streamsRemoved").get(0).path("namespace").isNull()).isTrue();
    }

    @Test
    void pendingDiffsAddUpOldestFirst() {
        SchemaDiff first = diff(List.of(ref("public", "carts")), List.of(), List.of(change("users", "email", "added", null, "string")));
        SchemaDiff second = diff(List.of(), List.of(ref("public", "legacy")), List.of(change("users", "age", "removed", "integer", null)));
        SchemaDiff merged = SchemaDiffs.merged(List.of(stored(first), stored(second)));
        assertThat(merged.getStreamsAdded()).extracting(StreamRef::getName).containsExactly("carts");
        assertThat(merged.getStreamsRemoved()).extracting(StreamRef::getName).containsExactly("legacy");
        assertThat(merged.getFieldChanges()).extracting(FieldChange::getChange).containsExactly("added", "removed");
    }

    @Test
    void anApprovalWaitsForACatalogThatHoldsWhatItAdds() {
        Stream users = new Stream("public", "users", List.of(Field.of("id", FieldType.INTEGER), Field.of("email", FieldType.STRING)),
                Set.of(SyncMode.FULL_REFRESH), false, List.of(), List.of());
        Stream carts = new Stream("public", "carts", List.of(Field.of("id", FieldType.INTEGER)), Set.of(SyncMode.FULL_REFRESH),
                false, List.of(), List.of());
        SchemaDiff addsCartsAndEmail = diff(List.of(ref("public", "carts")), List.of(),
                List.of(change("users", "email", "added", null, "string"), change("users", "age", "removed", "integer", null)));
        assertThat(SchemaChanges.holds(new Catalog(List.of(users, carts)), addsCartsAndEmail)).isTrue();
        assertThat(SchemaChanges.holds(new Catalog(List.of(users)), addsCartsAndEmail)).as("carts not there yet").isFalse();
        Stream usersBefore = new Stream("public", "users", List.of(Field.of("id", FieldType.INTEGER)), Set.of(SyncMode.FULL_REFRESH),
                false, List.of(), List.of());
        assertThat(SchemaChanges.holds(new Catalog(List.of(usersBefore, carts)), addsCartsAndEmail)).as("email not there yet")
                .isFalse();
    }

    @Test
    void theNamespaceDefinitionPicksWhereAStreamIsWritten() {
        assertThat(NamespaceDefinition.SOURCE.namespaceOf("crm", null)).isEqualTo("crm");
        assertThat(NamespaceDefinition.DESTINATION.namespaceOf("crm", "raw")).as("the destination's default").isNull();
        assertThat(NamespaceDefinition.CUSTOM_FORMAT.namespaceOf("crm", "raw_${SOURCE_NAMESPACE}")).isEqualTo("raw_crm");
        assertThat(NamespaceDefinition.CUSTOM_FORMAT.namespaceOf(null, "raw_${SOURCE_NAMESPACE}")).isEqualTo("raw_");
        assertThat(NamespaceDefinition.CUSTOM_FORMAT.namespaceOf("crm", " ")).isNull();
        assertThat(NamespaceDefinition.orDefault(null)).isEqualTo(NamespaceDefinition.DESTINATION);
        assertThat(NamespaceDefinition.values()).extracting(NamespaceDefinition::wireName)
                .containsExactly("source", "destination", "custom_format");
    }
}
