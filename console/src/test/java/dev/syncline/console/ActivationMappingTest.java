package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The activation branch's mapping rows, as the page renders them: objects picked by name, fields pre-filled from the
 * source field of the same name (nested too), upsert forcing its matching key, and what keeps "Set up connection"
 * disabled. The browser test walks the same page against the real stack.
 */
class ActivationMappingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode source() throws Exception {
        return JSON.readTree("""
                {"streams": [{"namespace": "public", "name": "people", "supportedSyncModes": ["full_refresh", "incremental"],
                  "defaultCursorField": ["updated_at"],
                  "fields": [{"name": "id", "type": "integer"}, {"name": "email", "type": "string"},
                             {"name": "full_name", "type": "string"}, {"name": "updated_at", "type": "timestamp_tz"},
                             {"name": "address", "type": "object", "fields": [{"name": "city", "type": "string"}]}]}]}""");
    }

    static JsonNode objects() throws Exception {
        return JSON.readTree("""
                {"streams": [{"namespace": "public", "name": "contacts",
                  "fields": [{"name": "id", "type": "integer", "nullable": false}, {"name": "email", "type": "string", "nullable": false},
                             {"name": "name", "type": "string", "nullable": false}, {"name": "city", "type": "string", "nullable": true}],
                  "insertionMethods": [{"method": "insert", "matchingKeys": []},
                                       {"method": "upsert", "matchingKeys": [["id"], ["email"]]}]}]}""");
    }

    @Test
    void theFirstViewPicksTheOnlyObjectUpsertsByItsFirstKeyAndPrefillsFieldsByName() throws Exception {
        List<ActivationFlow.StreamMapping> streams = ActivationFlow.streams(source(), objects(), null);
        ActivationFlow.StreamMapping people = streams.getFirst();
        assertThat(people.object()).isEqualTo("contacts");
        assertThat(people.methods()).filteredOn(ActivationFlow.Option::selected).extracting(ActivationFlow.Option::value)
                .containsExactly("upsert");
        assertThat(people.keyRequired()).isTrue();
        assertThat(people.keys()).extracting(ActivationFlow.Option::value).containsExactly("id", "email"); // no "none"
        assertThat(people.modes()).filteredOn(ActivationFlow.Option::selected).extracting(ActivationFlow.Option::value)
                .containsExactly("incremental");
        assertThat(people.fields()).extracting(ActivationFlow.FieldRow::name, ActivationFlow.FieldRow::mapped,
                ActivationFlow.FieldRow::required, ActivationFlow.FieldRow::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("id", true, true, true),
                org.assertj.core.groups.Tuple.tuple("email", true, true, false),
                org.assertj.core.groups.Tuple.tuple("name", false, true, false),
                org.assertj.core.groups.Tuple.tuple("city", true, false, false)); // from address.city, nested
        assertThat(people.fields().get(3).sources()).filteredOn(ActivationFlow.Option::selected)
                .extracting(ActivationFlow.Option::value).containsExactly("address.city");
        assertThat(ActivationFlow.missing(streams)).containsExactly("people → contacts: map the required field name.");
    }

    @Test
    void whatTheFormChoseIsKeptAndEveryRequiredFieldMappedEnablesSetUp() throws Exception {
        var form = new MultivaluedHashMap<String, String>();
        form.add("m0.stream", "people");
        form.add("m0.namespace", "public");
        form.add("m0.object", "contacts");
        form.add("m0.shown", "contacts");
        form.add("m0.method", "upsert");
        form.add("m0.key", "email");
        form.add("m0.mode", "full_refresh");
        form.add("m0.f.id", "");
        form.add("m0.f.email", "email");
        form.add("m0.f.name", "full_name");
        form.add("m0.f.city", "");
        List<ActivationFlow.StreamMapping> streams = ActivationFlow.streams(source(), objects(), form);
        ActivationFlow.StreamMapping people = streams.getFirst();
        assertThat(people.fields()).filteredOn(ActivationFlow.FieldRow::key).extracting(ActivationFlow.FieldRow::name)
                .containsExactly("email");
        // id is required too: unmapped, it still keeps the button disabled
        assertThat(ActivationFlow.missing(streams)).containsExactly("people → contacts: map the required field id.");
        form.putSingle("m0.f.id", "id");
        assertThat(ActivationFlow.missing(ActivationFlow.streams(source(), objects(), form))).isEmpty();
        // the key's field unmapped is named as the matching key
        form.putSingle("m0.f.email", "");
        assertThat(ActivationFlow.missing(ActivationFlow.streams(source(), objects(), form)))
                .containsExactly("people → contacts: map the matching key field email.");
        // insert needs no key; "not synced" maps nothing, and nothing mapped is itself what is missing
        form.putSingle("m0.method", "insert");
        assertThat(ActivationFlow.streams(source(), objects(), form).getFirst().keyRequired()).isFalse();
        form.putSingle("m0.object", "");
        assertThat(ActivationFlow.missing(ActivationFlow.streams(source(), objects(), form)))
                .containsExactly("Pick the destination object of at least one stream.");
    }

    /**
     * A saved connection's mappings, read back into the form the Schema tab edits them in, give the very same mappings
     * when saved unchanged (method, key, mode, cursor, field pairs, a date format set through the API): a save of the
     * mapping loses nothing. One changed field pair changes only that pair.
     */
    @Test
    void savedMappingsReadBackIntoTheFormAreSavedUnchangedAndOneChangedPairChangesOnlyIt() throws Exception {
        JsonNode saved = JSON.readTree("""
                [{"namespace": "public", "stream": "people", "destinationObject": "contacts", "insertionMethod": "upsert",
                  "matchingKey": ["email"], "syncMode": "incremental", "cursorField": ["updated_at"],
                  "fields": [{"source": ["id"], "destination": "id"}, {"source": ["email"], "destination": "email"},
                             {"source": ["full_name"], "destination": "name"},
                             {"source": ["address", "city"], "destination": "city", "format": "dd/MM/yyyy"}]}]""");
        var form = ActivationFlow.formOf(source(), saved);
        List<ActivationFlow.StreamMapping> streams = ActivationFlow.streams(source(), objects(), form);
        assertThat(ActivationFlow.missing(streams)).isEmpty();
        JsonNode again = ActivationFlow.mappingRequests(streams);
        assertThat(again).isEqualTo(saved);

        form.putSingle("m0.f.name", "email");
        JsonNode changed = ActivationFlow.mappingRequests(ActivationFlow.streams(source(), objects(), form));
        assertThat(changed.at("/0/fields/2")).isEqualTo(JSON.readTree("{\"destination\": \"name\", \"source\": [\"email\"]}"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.at("/0/fields/2")).set("source", JSON.readTree("[\"full_name\"]"));
        assertThat(changed).isEqualTo(saved);
    }

    /**
     * The form's rows go with the stream they were shown for, not with a position: a source discovered again while the
     * page was open (a stream added before it) does not move a mapping onto another stream.
     */
    @Test
    void aFormRowGoesWithItsStreamWhenTheCatalogChangedUnderThePage() throws Exception {
        var form = ActivationFlow.formOf(source(), JSON.readTree("""
                [{"namespace": "public", "stream": "people", "destinationObject": "contacts", "insertionMethod": "insert",
                  "syncMode": "full_refresh", "fields": [{"source": ["id"], "destination": "id"}]}]"""));
        JsonNode moved = JSON.readTree("""
                {"streams": [{"namespace": "public", "name": "people_v2", "supportedSyncModes": ["full_refresh"],
                              "fields": [{"name": "id", "type": "integer"}]},
                             %s]}""".formatted(source().path("streams").get(0).toString()));
        List<ActivationFlow.StreamMapping> streams = ActivationFlow.streams(moved, objects(), form);
        assertThat(streams).extracting(ActivationFlow.StreamMapping::stream, ActivationFlow.StreamMapping::object)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("people_v2", null),
                        org.assertj.core.groups.Tuple.tuple("people", "contacts"));
    }

    /** What the destination accepts beyond a field's type is said where the user maps it. */
    @Test
    void aFieldsLengthAndFormatAreShownBesideIt() throws Exception {
        assertThat(ActivationFlow.limits(JSON.readTree("{\"name\": \"name\", \"type\": \"string\", \"maxLength\": 12}")))
                .isEqualTo("at most 12 characters");
        assertThat(ActivationFlow.limits(JSON.readTree("{\"name\": \"email\", \"type\": \"string\", \"format\": \"email\", \"maxLength\": 80}")))
                .isEqualTo("at most 80 characters · email format");
        assertThat(ActivationFlow.limits(JSON.readTree("{\"name\": \"age\", \"type\": \"integer\"}"))).isEmpty();
    }
}
