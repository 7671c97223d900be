package dev.syncline.connection.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.kit.problem.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The collision finder: what two selected streams (or fields) would write to one table (or column) of a destination. */
class DestinationNamesTest {
    static final DestinationNames.Naming DESTINATION = new DestinationNames.Naming("destination", null, "", "public");

    static ConnectionDtos.ConfiguredStream stream(String namespace, String name, String destinationName, String... fields) {
        return new ConnectionDtos.ConfiguredStream(namespace, name, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND,
                List.of(), List.of(), Arrays.stream(fields).map(f -> Field.of(f, FieldType.STRING)).toList(), destinationName);
    }

    static ConnectionDtos.ConfiguredStream stream(String name) {
        return stream(null, name, null, "id");
    }

    static List<String> messages(DestinationNames.Naming n, ConnectionDtos.ConfiguredStream... streams) {
        return DestinationNames.collisions(n, List.of(streams), null).stream().map(Problem.FieldError::message).toList();
    }

    @Test
    void streamsWhoseNamesNormaliseAlikeCollideOnOneTable() {
        String[][] pairs = {{"Users", "users"}, {"a-b", "a_b"}, {"заказы", "товары"}, {"ünïcödé", "unicode"},
            {"1st", "_1st"}, {"x".repeat(63) + "a", "x".repeat(63) + "b"}};
        for (String[] p : pairs) {
            assertThat(messages(DESTINATION, stream(p[0]), stream(p[1]))).as(p[0] + " / " + p[1]).singleElement()
                    .asString().contains("streams " + p[0] + " and " + p[1] + " would both write table public.")
                    .contains("deselect one, or give one another destinationName");
        }
        assertThat(messages(DESTINATION, stream("заказы"), stream("товары")).getFirst()).contains("table public.______ ");
    }

    @Test
    void namesThatStayApartDoNotCollide() {
        assertThat(messages(DESTINATION, stream("users"), stream("user"), stream("orders"))).isEmpty();
        // a destination name sets one apart
        assertThat(messages(DESTINATION, stream(null, "Users", "users_upper", "id"), stream("users"))).isEmpty();
    }

    @Test
    void theNamespaceDefinitionDecidesWhetherTwoSchemasMeet() {
        var a = stream("sales", "users", null, "id");
        var b = stream("support", "users", null, "id");
        assertThat(messages(DESTINATION, a, b)).singleElement().asString()
                .contains("streams sales.users and support.users would both write table public.users");
        assertThat(messages(new DestinationNames.Naming("source", null, "", "public"), a, b)).isEmpty();
        assertThat(messages(new DestinationNames.Naming("custom_format", "raw_${SOURCE_NAMESPACE}", "", "public"), a, b)).isEmpty();
        assertThat(messages(new DestinationNames.Naming("custom_format", "raw", "", "public"), a, b)).singleElement().asString()
                .contains("table raw.users");
    }

    @Test
    void tablesAreNamedAsTheWriterNamesThem() {
        var naming = new DestinationNames.Naming("source", null, "Crm_", "main");
        assertThat(DestinationNames.tables(naming, List.of(stream(null, "Contacts", null, "id"),
                stream("Sales", "a-b", "Deals", "id")))).containsExactly(
                java.util.Map.entry("main.crm_contacts", "Contacts"), java.util.Map.entry("sales.crm_deals", "Sales.a-b"));
    }

    @Test
    void fieldsWhoseNamesNormaliseAlikeCollideOnOneColumn() {
        assertThat(messages(DESTINATION, stream(null, "users", null, "id", "Name", "name"))).singleElement().asString()
                .isEqualTo("fields Name and name of stream users would both write column name; deselect one of them "
                        + "(selectedFields)");
        assertThat(messages(DESTINATION, stream(null, "users", null, "id", "Name"))).isEmpty();
    }

    @Test
    void syncLinesOwnNamesAreRefused() {
        assertThat(messages(DESTINATION, stream(null, "users", null, "id", "_Syncline_Meta"))).singleElement().asString()
                .contains("field _Syncline_Meta of stream users would write column _syncline_meta");
        assertThat(messages(DESTINATION, stream("_syncline_tmp_users"))).singleElement().asString()
                .contains("would write table public._syncline_tmp_users; names starting with _syncline are Syncline's own");
        assertThat(messages(DESTINATION, stream("_SynclineStage"))).singleElement().asString()
                .contains("would write table public._synclinestage");
        // a column merely starting so is the source's own
        assertThat(messages(DESTINATION, stream(null, "users", null, "id", "_syncline_note"))).isEmpty();
    }

    @Test
    void problemsNameTheRequestIndexWhenThereIsOne() {
        List<StreamRequest> requests = List.of(request("users", null), request("Users", null), request("other", false));
        List<Problem.FieldError> errors = DestinationNames.collisions(DESTINATION, List.of(stream("users"), stream("Users")),
                requests);
        assertThat(errors).extracting(Problem.FieldError::field).containsExactly("streams[1].destinationName");
        assertThat(DestinationNames.collisions(DESTINATION, List.of(stream(null, "users", null, "Name", "name")), requests))
                .extracting(Problem.FieldError::field).containsExactly("streams[0].selectedFields");
    }

    @Test
    void theDefaultNamespaceIsTheConfiguredSchemaElseTheSpecDefault() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var spec = Optional.of(json.readTree("{\"properties\":{\"schema\":{\"default\":\"main\"}}}"));
        assertThat(DestinationNames.defaultNamespace(json.readTree("{\"schema\":\"analytics\"}"), spec)).isEqualTo("analytics");
        assertThat(DestinationNames.defaultNamespace(json.readTree("{}"), spec)).isEqualTo("main");
        assertThat(DestinationNames.defaultNamespace(json.readTree("{}"), Optional.empty())).isEmpty();
    }

    static StreamRequest request(String name, Boolean selected) {
        return new StreamRequest(null, name, selected, null, null, null, null, null, null);
    }
}
