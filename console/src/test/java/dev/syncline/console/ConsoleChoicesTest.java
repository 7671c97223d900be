package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the console works out for the user before anything is saved: the mode a preset gives each stream, the likely
 * primary key, which Settings a save really changes, and what a rejected record's reasons show.
 */
class ConsoleChoicesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> POSTGRES = List.of("append", "append_dedup", "overwrite", "overwrite_dedup");

    @Test
    void thePresetsAnswerPerStreamFollowsWhatTheStreamAndTheDestinationCanDo() {
        List<String> both = List.of("full_refresh", "incremental");
        assertThat(NewConnectionFlow.resolve("replicate_source", both, POSTGRES, true, true)).isEqualTo("incremental:append_dedup");
        assertThat(NewConnectionFlow.resolve("replicate_source", both, POSTGRES, false, true)).isEqualTo("full_refresh:overwrite_dedup");
        assertThat(NewConnectionFlow.resolve("replicate_source", both, POSTGRES, true, false)).isEqualTo("full_refresh:overwrite");
        assertThat(NewConnectionFlow.resolve("append_history", both, POSTGRES, true, true)).isEqualTo("incremental:append");
        assertThat(NewConnectionFlow.resolve("append_history", both, POSTGRES, false, true)).isEqualTo("full_refresh:append");
        // a destination that only appends, a source that only reads in full
        assertThat(NewConnectionFlow.resolve("replicate_source", both, List.of("append"), true, true)).isEqualTo("incremental:append");
        assertThat(NewConnectionFlow.resolve("replicate_source", List.of("full_refresh"), List.of("append"), true, true)).isNull();
    }

    @Test
    void theLikelyKeyIsIdThenTheStreamsOwnIdThenTheOnlyFieldEndingInId() {
        assertThat(NewConnectionFlow.likelyKey("users", fields("email", "ID", "user_id"))).isEqualTo("ID");
        assertThat(NewConnectionFlow.likelyKey("users", fields("email", "account_id", "user_id"))).isEqualTo("user_id");
        assertThat(NewConnectionFlow.likelyKey("orders", fields("total", "customer_id"))).isEqualTo("customer_id");
        assertThat(NewConnectionFlow.likelyKey("events", fields("a_id", "b_id"))).isNull();
    }

    private static List<NewConnectionFlow.FieldChoice> fields(String... names) {
        return java.util.Arrays.stream(names).map(n -> new NewConnectionFlow.FieldChoice(n, "string", false, false)).toList();
    }

    /** A Settings save sends only what differs from the connection as stored: nothing set elsewhere is overwritten. */
    @Test
    void aSettingsSaveSendsOnlyWhatTheUserChanged() throws Exception {
        JsonNode stored = JSON.readTree("""
                {"name": "Shop → Warehouse", "schedule": {"scheduleType": "basic", "basicUnits": 24, "basicTimeUnit": "hours",
                 "cronExpression": null, "cronTimeZone": null}, "namespaceDefinition": "destination", "namespaceFormat": null,
                 "prefix": "", "schemaChangePolicy": "propagate_columns", "backfillNewColumns": false,
                 "notificationWebhook": "https://hooks.example.com/a", "tags": ["b", "a"]}""");
        ObjectNode patch = (ObjectNode) JSON.readTree("""
                {"name": "Shop → Warehouse", "schedule": {"scheduleType": "basic", "basicUnits": 24, "basicTimeUnit": "hours"},
                 "namespaceDefinition": "destination", "prefix": "", "schemaChangePolicy": "propagate_columns",
                 "backfillNewColumns": false, "notificationWebhook": "https://hooks.example.com/a", "tags": ["a", "b"]}""");
        ConnectionTabs.onlyChanged(patch, stored);
        assertThat(patch.isEmpty()).as(patch.toString()).isTrue();

        ObjectNode renamed = (ObjectNode) JSON.readTree("""
                {"name": "Shop to Warehouse", "schedule": {"scheduleType": "basic", "basicUnits": 6, "basicTimeUnit": "hours"},
                 "prefix": "shop_", "tags": ["a"]}""");
        ConnectionTabs.onlyChanged(renamed, stored);
        assertThat(renamed).isEqualTo(JSON.readTree("""
                {"name": "Shop to Warehouse", "schedule": {"scheduleType": "basic", "basicUnits": 6, "basicTimeUnit": "hours"},
                 "prefix": "shop_", "tags": ["a"]}"""));

        // compared with what the page was loaded with: a prefix changed meanwhile through the API is not sent back
        JsonNode loaded = JSON.readTree(ConnectionTabs.was(stored));
        ObjectNode untouched = (ObjectNode) JSON.readTree("""
                {"name": "Shop → Warehouse", "schedule": {"scheduleType": "basic", "basicUnits": 24, "basicTimeUnit": "hours"},
                 "namespaceDefinition": "destination", "prefix": "", "schemaChangePolicy": "propagate_columns",
                 "backfillNewColumns": true, "notificationWebhook": "https://hooks.example.com/a", "tags": ["a", "b"]}""");
        ConnectionTabs.onlyChanged(untouched, loaded);
        assertThat(untouched).as("only the box the user ticked").isEqualTo(JSON.readTree("{\"backfillNewColumns\": true}"));
    }

    /** Each reason shows the value it is about (what the destination was sent), cut and linked to its mapping row. */
    @Test
    void aRejectedRecordsReasonShowsTheOffendingValueCutAndTheMappingRowToFix() throws Exception {
        String longName = "<b>" + "x".repeat(120);
        JsonNode r = JSON.createObjectNode().put("streamNamespace", "public").put("stream", "people").put("destinationObject", "contacts")
                .set("reasons", JSON.readTree("""
                        [{"field": "name", "code": "TOO_LONG", "message": "name is 123 characters long, at most 40"},
                         {"field": "email", "code": "MISSING_REQUIRED", "message": "email is required"},
                         {"field": "", "code": "DESTINATION_ERROR", "message": "timeout"}]"""));
        // the source has a field named like the object's: its value is not the one the destination refused
        ((ObjectNode) r).set("record", JSON.readTree("{\"full_name\": \"whatever\", \"email\": null, \"name\": \"source's\"}"));
        ((ObjectNode) r).set("mappedPayload", JSON.createObjectNode().put("name", longName).putNull("email"));
        List<RejectedRecordsPage.Reason> reasons = RejectedRecordsPage.reasons("6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f", r);
        assertThat(reasons.get(0).value()).isEqualTo("\"" + longName.substring(0, RejectedRecordsPage.VALUE_SHOWN)
                + "…\" (123 characters)");
        assertThat(reasons.get(0).fixHref()).isEqualTo("/connections/6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f/schema?namespace=public&stream=people&field=name#fix");
        assertThat(reasons.get(1).value()).isEqualTo("null (empty)");
        assertThat(reasons.get(2).value()).isNull();
        assertThat(reasons.get(2).fixHref()).isNull();
    }

    /**
     * A saved mapping that reads a field no sync read before asks for the stream to be read again; the link carrying
     * that survives dots and separators in names, and names only streams the connection maps and fields they read.
     */
    @Test
    void aMappingThatReadsNewFieldsAsksToReadItsStreamAgainAndTheLinkCanNameNothingElse() throws Exception {
        JsonNode c = JSON.readTree("""
                {"streams": [{"namespace": "proj.data", "name": "people;v=2", "fields": [{"name": "id"}, {"name": "full_name"}]}],
                 "mappings": [{"namespace": "proj.data", "stream": "people;v=2", "insertionMethod": "upsert", "syncMode": "incremental",
                               "cursorField": ["updated_at"],
                               "fields": [{"source": ["id"], "destination": "id"}, {"source": ["nick,name"], "destination": "name"}]}]}""");
        String query = ConnectionTabs.newlyRead(c, c.path("mappings"));
        List<ConnectionTabs.Reread> rereads = ConnectionTabs.rereads(c, query);
        assertThat(rereads).singleElement().satisfies(r -> {
            assertThat(r.namespace()).isEqualTo("proj.data");
            assertThat(r.stream()).isEqualTo("people;v=2");
            assertThat(r.fields()).containsExactly("nick,name", "updated_at");
            assertThat(r.incremental()).isTrue();
            assertThat(r.inserts()).isFalse();
        });
        // a crafted link: another stream, and a field the mapping does not read, name nothing
        assertThat(ConnectionTabs.rereads(c, "proj.data:users=email;" + query.replace("updated_at", "password"))
                .getFirst().fields()).containsExactly("nick,name");
        assertThat(ConnectionTabs.rereads(c, "x:y=z;;%zz:=")).isEmpty();
        // nothing new read: nothing asked
        assertThat(ConnectionTabs.newlyRead(c, JSON.readTree("[{\"namespace\": \"proj.data\", \"stream\": \"people;v=2\", "
                + "\"fields\": [{\"source\": [\"full_name\"], \"destination\": \"name\"}]}]"))).isEmpty();
    }
}
