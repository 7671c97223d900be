package dev.syncline.connectors.httpapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.testing.StrictContactsApi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiDestinationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpApiDestination destination = new HttpApiDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build());
    StrictContactsApi api;
    JsonNode config;

    @BeforeEach
    void start() throws Exception {
        api = StrictContactsApi.start();
        config = JSON.readTree(api.destinationConfig());
        ((ObjectNode) config).put("max_retries", 3);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void discoversTheObjectsOfItsConfigurationAndChecksTheToken() throws Exception {
        Catalog c = destination.discoverObjects(config);
        Stream contacts = c.streams().getFirst();
        assertThat(contacts.name()).isEqualTo("contacts");
        assertThat(contacts.fields()).extracting(f -> f.name() + ":" + f.type().wireName() + ":" + (f.nullable() ? "optional" : "required"))
                .containsExactly("id:integer:required", "email:string:required", "name:string:required", "age:integer:optional");
        assertThat(contacts.fields().get(1).format()).isEqualTo("email");
        assertThat(contacts.fields().get(2).maxLength()).isEqualTo(40);
        assertThat(contacts.insertionMethods()).extracting(m -> m.method().wireName()).containsExactlyInAnyOrder("insert", "upsert");
        assertThat(destination.check(config).succeeded()).isTrue();
        ObjectNode wrong = config.deepCopy();
        wrong.put("auth_token", "Bearer nope");
        assertThat(destination.check(wrong).message()).contains("401").contains("auth header");
    }

    static SourceMessage.RecordMessage contact(long id, String email, String name) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", id);
        data.put("email", email);
        data.put("name", name);
        return new SourceMessage.RecordMessage(null, "people", data, Instant.now());
    }

    ConfiguredCatalog upsertCatalog() {
        List<Field> fields = List.of(Field.required("id", FieldType.INTEGER), Field.required("email", FieldType.STRING),
                Field.required("name", FieldType.STRING));
        Stream people = new Stream(null, "people", fields, java.util.Set.of(SyncMode.FULL_REFRESH), false, List.of(), List.of());
        return new ConfiguredCatalog(List.of(new ConfiguredStream(people, fields, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND,
                List.of(), List.of(), null, "contacts", InsertionMethod.UPSERT, List.of("id"))));
    }

    @Test
    void theApisPerRecordErrorsBecomeRejectionsAndBusyAnswersAreRetried() throws Exception {
        List<Rejection> rejected = new ArrayList<>();
        WriteListener listener = new WriteListener() {
            @Override
            public void rejected(Rejection r) {
                rejected.add(r);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage s) { }
        };
        api.failNext(2, 429);
        try (RecordWriter w = destination.open(config, upsertCatalog(), listener)) {
            for (int i = 1; i <= 450; i++) {
                w.write(contact(i, i == 300 ? "p1@example.com" : "p" + i + "@example.com", "Person " + i));
            }
            w.complete();
        }
        assertThat(api.contacts()).hasSize(449);
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.record().data()).containsEntry("id", 300L);
            assertThat(r.reasons()).singleElement().satisfies(reason -> {
                assertThat(reason.field()).isEqualTo("email");
                assertThat(reason.code()).isEqualTo(Rejection.Code.CONSTRAINT_VIOLATION);
                assertThat(reason.message()).contains("belongs to contact 1");
            });
        });
        assertThat(api.requests()).isEqualTo(2 + 3); // two 429s retried, then three batches of 200, 200, 50
    }

    @Test
    void aWrongTokenFailsTheSyncAsAConfigurationErrorAndAnApiThatStaysBusyAsTransient() throws Exception {
        WriteListener none = new WriteListener() {
            @Override
            public void rejected(Rejection r) { }

            @Override
            public void checkpointed(SourceMessage.StateMessage s) { }
        };
        ObjectNode wrong = config.deepCopy();
        wrong.put("auth_token", "Bearer nope");
        try (RecordWriter w = destination.open(wrong, upsertCatalog(), none)) {
            w.write(contact(1, "p1@example.com", "Ada"));
            assertThatThrownBy(w::complete).isInstanceOfSatisfying(ConnectorException.class,
                    e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG)).hasMessageContaining("401");
        }
        api.failNext(10, 503);
        try (RecordWriter w = destination.open(config, upsertCatalog(), none)) {
            w.write(contact(1, "p1@example.com", "Ada"));
            assertThatThrownBy(w::complete).isInstanceOfSatisfying(ConnectorException.class,
                    e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.TRANSIENT)).hasMessageContaining("503");
        }
    }
}
