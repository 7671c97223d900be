package dev.syncline.connectors.postgrestable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.InsertionMethodSpec;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTableDestinationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    String database;

    @BeforeEach
    void application() throws Exception {
        database = SharedPostgres.newDatabase("app");
        sql("""
                create table companies (id bigint primary key, name text not null);
                insert into companies values (1, 'Acme'), (2, 'Globex');
                create table contacts (
                  id bigint generated always as identity primary key,
                  email varchar(40) not null unique check (email like '%@%'),
                  name text not null,
                  age int,
                  company_id bigint references companies (id),
                  created_at timestamptz not null default now(),
                  deleted boolean not null default false);
                """);
    }

    void sql(String statements) throws Exception {
        try (Connection c = SharedPostgres.get().connect(database); Statement st = c.createStatement()) {
            st.execute(statements);
        }
    }

    List<List<Object>> rows(String query) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = SharedPostgres.get().connect(database); ResultSet rs = c.createStatement().executeQuery(query)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    ObjectNode config() {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("port", SharedPostgres.get().port())
                .put("database", database).put("username", PostgresServer.USER).put("password", SharedPostgres.get().password())
                .put("schema", "public").put("soft_delete_column", "deleted");
    }

    @Test
    void discoversObjectsRequiredFieldsAndTheirInsertionMethods() throws Exception {
        Catalog objects = new PostgresTableDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build()).discoverObjects(config());
        Stream contacts = objects.stream("public", "contacts").orElseThrow();
        Map<String, Boolean> required = new LinkedHashMap<>();
        contacts.fields().forEach(f -> required.put(f.name(), !f.nullable()));
        // identity, defaults and nullable columns are not required
        assertThat(required).containsExactly(Map.entry("id", false), Map.entry("email", true), Map.entry("name", true),
                Map.entry("age", false), Map.entry("company_id", false), Map.entry("created_at", false), Map.entry("deleted", false));
        assertThat(contacts.field("email").orElseThrow().maxLength()).isEqualTo(40);
        assertThat(contacts.field("email").orElseThrow().format()).isEqualTo("email");
        assertThat(contacts.insertionMethods()).extracting(InsertionMethodSpec::method)
                .containsExactly(InsertionMethod.INSERT, InsertionMethod.UPDATE, InsertionMethod.UPSERT, InsertionMethod.SOFT_DELETE);
        assertThat(contacts.insertionMethods().get(2).matchingKeys()).containsExactly(List.of("id"), List.of("email"));
        assertThat(objects.stream("public", "companies").orElseThrow().insertionMethods()).extracting(InsertionMethodSpec::method)
                .containsExactly(InsertionMethod.INSERT, InsertionMethod.UPDATE, InsertionMethod.UPSERT);
    }

    List<Rejection> write(InsertionMethod method, List<String> key, List<String> fields, List<Map<String, Object>> records)
            throws Exception {
        Stream contacts = new PostgresTableDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build()).discoverObjects(config()).stream("public", "contacts").orElseThrow();
        List<Field> mapped = contacts.fields().stream().filter(f -> fields.contains(f.name())).toList();
        ConfiguredStream s = new ConfiguredStream(new Stream(null, "people", mapped, java.util.Set.of(SyncMode.FULL_REFRESH), false,
                List.of(), List.of()), mapped, SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, List.of(), List.of(), "public",
                "contacts", method, key);
        List<Rejection> rejected = new ArrayList<>();
        try (RecordWriter w = new PostgresTableDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build()).open(config(), new ConfiguredCatalog(List.of(s)), new WriteListener() {
            @Override
            public void rejected(Rejection r) {
                rejected.add(r);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        })) {
            for (Map<String, Object> r : records) {
                w.write(new SourceMessage.RecordMessage(null, "people", new HashMap<>(r), Instant.now()));
            }
            w.complete();
        }
        return rejected;
    }

    static Map<String, Object> contact(Object email, Object name, Object age, Object company) {
        Map<String, Object> m = new HashMap<>();
        m.put("email", email);
        m.put("name", name);
        m.put("age", age);
        m.put("company_id", company);
        return m;
    }

    @Test
    void onlyTheRowsATableRefusesAreRejectedEachWithItsConstraint() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(contact("p" + i + "@example.com", "Person " + i, 20 + i, 1L));
        }
        records.set(5, contact("nope", "No at sign", 30, 1L));                               // check
        records.set(10, contact("p0@example.com", "Duplicate", 30, 1L));                     // unique
        records.set(15, contact("p15@example.com", null, 30, 1L));                           // not null
        records.set(20, contact("p20@example.com", "Unknown company", 30, 99L));             // foreign key
        records.set(25, contact("x".repeat(50) + "@example.com", "Too long", 30, 1L));       // length
        records.set(30, contact("p30@example.com", "Text age", "thirty", 1L));               // type
        List<Rejection> rejected = write(InsertionMethod.INSERT, List.of(), List.of("email", "name", "age", "company_id"), records);
        Map<String, Rejection.Code> codes = new LinkedHashMap<>();
        rejected.forEach(r -> codes.put(String.valueOf(r.record().data().get("name")), r.reasons().getFirst().code()));
        assertThat(codes).containsOnly(Map.entry("No at sign", Rejection.Code.CONSTRAINT_VIOLATION),
                Map.entry("Duplicate", Rejection.Code.CONSTRAINT_VIOLATION), Map.entry("null", Rejection.Code.MISSING_REQUIRED),
                Map.entry("Unknown company", Rejection.Code.CONSTRAINT_VIOLATION), Map.entry("Too long", Rejection.Code.TOO_LONG),
                Map.entry("Text age", Rejection.Code.TYPE_MISMATCH));
        assertThat(rejected.stream().filter(r -> "Duplicate".equals(r.record().data().get("name"))).findFirst().orElseThrow()
                .reasons().getFirst().field()).isEqualTo("email");
        assertThat(rows("select count(*) from contacts").getFirst().getFirst()).isEqualTo(44L);
    }

    @Test
    void upsertUpdateAndSoftDeleteMatchByTheChosenKey() throws Exception {
        write(InsertionMethod.INSERT, List.of(), List.of("email", "name"), List.of(contact("a@x.io", "Ada", null, null)));
        assertThat(write(InsertionMethod.UPSERT, List.of("email"), List.of("email", "name", "age"), List.of(
                contact("a@x.io", "Ada Lovelace", 36, null), contact("b@x.io", "Babbage", 79, null)))).isEmpty();
        assertThat(rows("select email, name, age from contacts order by email")).containsExactly(
                List.of("a@x.io", "Ada Lovelace", 36), List.of("b@x.io", "Babbage", 79));
        List<Rejection> missing = write(InsertionMethod.UPDATE, List.of("email"), List.of("email", "age"), List.of(
                contact("b@x.io", null, 80, null), contact("nobody@x.io", null, 1, null)));
        assertThat(missing).singleElement().satisfies(r -> assertThat(r.reasons().getFirst().message())
                .contains("no row of contacts matches email = nobody@x.io"));
        assertThat(write(InsertionMethod.SOFT_DELETE, List.of("email"), List.of("email"), List.of(contact("a@x.io", null, null, null))))
                .isEmpty();
        assertThat(rows("select email, deleted, age from contacts order by email")).containsExactly(
                List.of("a@x.io", true, 36), List.of("b@x.io", false, 80));
    }
}
