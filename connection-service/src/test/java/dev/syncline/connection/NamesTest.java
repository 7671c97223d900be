package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.syncline.testing.quarkus.InfrastructureResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Names as users type them: a NUL or a lone surrogate anywhere in a body (PostgreSQL cannot store the one, the other is
 * no character) and a control character in a name are a 400 naming the field, nested objects and free-form
 * configuration included; tag names are compared after NFKC and case folding, by the database too.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class NamesTest {
    @Inject
    AgroalDataSource dataSource;

    static ValidatableResponse post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    static ValidatableResponse post(String path, byte[] json) {
        return given().contentType("application/json").body(json).post(path).then();
    }

    static void refusedNaming(ValidatableResponse r, String field) {
        r.statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void aNulOrALoneSurrogateAnywhereInABodyIsA400NamingTheField() {
        refusedNaming(post("/sources", "{\"name\":\"a\\u0000b\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1}}"), "name");
        refusedNaming(post("/tags", "{\"name\":\"x\\u0000\",\"color\":\"#1E88E5\"}"), "name");
        refusedNaming(post("/connections", "{\"name\":\"\\ud800 half\",\"sourceId\":\"" + UUID.randomUUID()
                + "\",\"destinationId\":\"" + UUID.randomUUID() + "\"}"), "name");
        refusedNaming(post("/api-keys", "{\"name\":\"low \\udc00\",\"role\":\"viewer\"}"), "name");
        // a lone surrogate as raw UTF-8 bytes (ED A0 80): Jackson hands it over as a char like the escape
        byte[] raw = "{\"name\":\"raw ?\",\"color\":\"#1E88E5\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withSurrogate = new byte[raw.length + 2];
        int at = new String(raw, StandardCharsets.UTF_8).indexOf('?');
        System.arraycopy(raw, 0, withSurrogate, 0, at);
        withSurrogate[at] = (byte) 0xED;
        withSurrogate[at + 1] = (byte) 0xA0;
        withSurrogate[at + 2] = (byte) 0x80;
        System.arraycopy(raw, at + 1, withSurrogate, at + 3, raw.length - at - 1);
        post("/tags", withSurrogate).statusCode(400).contentType("application/problem+json");
        // nested: a stream's destination name, a connector's configuration (free-form JSON), a field name in it
        refusedNaming(post("/connections", "{\"sourceId\":\"" + UUID.randomUUID() + "\",\"destinationId\":\"" + UUID.randomUUID()
                + "\",\"streams\":[{\"name\":\"users\",\"destinationName\":\"us\\u0000ers\"}]}"), "streams[0].destinationName");
        refusedNaming(post("/destinations", "{\"name\":\"D\",\"destinationType\":\"duckdb\",\"configuration\":{\"path\":\"/tmp/a\\u0000.duckdb\"}}"),
                "configuration.path");
        refusedNaming(post("/sources", "{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1,"
                + "\"nested\":[{\"deep\":\"\\udbff\"}]}}"), "configuration.nested[0].deep");
        post("/sources", "{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{\"se\\u0000ed\":1}}")
                .statusCode(400).body("detail", containsString("field name"));
        // in a query: refused before it reaches the database
        given().get("/connections?status=%00").then().statusCode(400).contentType("application/problem+json");
        // nothing of it was stored
        given().get("/tags").then().statusCode(200).body("name", org.hamcrest.Matchers.not(hasItem("raw ?")));
    }

    @Test
    void aControlCharacterInANameIsA400NamingTheFieldAndPosition() {
        post("/tags", "{\"name\":\"tab\\there\",\"color\":\"#1E88E5\"}").statusCode(400).body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("U+0009")).body("errors[0].message", containsString("position 3"));
        refusedNaming(post("/sources", "{\"name\":\"bell\\u0007\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1}}"), "name");
        refusedNaming(post("/connections", "{\"name\":\"two\\nlines\",\"sourceId\":\"" + UUID.randomUUID() + "\",\"destinationId\":\""
                + UUID.randomUUID() + "\"}"), "name");
        refusedNaming(post("/connections", "{\"sourceId\":\"" + UUID.randomUUID() + "\",\"destinationId\":\"" + UUID.randomUUID()
                + "\",\"streams\":[{\"name\":\"users\",\"destinationName\":\"a\\u001bb\"}]}"), "streams[0].destinationName");
        refusedNaming(post("/api-keys", "{\"name\":\"key\\u0085\",\"role\":\"viewer\"}"), "name");
        // a configuration value may span lines (a certificate, a private key): only names are one line
        post("/sources", "{\"name\":\"Multi-line config\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1}}")
                .statusCode(201);
        // what is no control character stays as typed
        String name = "Zürich → 東京 \uD83D\uDE80";
        String id = post("/tags", "{\"name\":\"" + name + "\",\"color\":\"#1E88E5\"}").statusCode(201).extract().path("tagId");
        given().get("/tags").then().body("find { it.tagId == '" + id + "' }.name", equalTo(name));
    }

    @Test
    void tagNamesAreOneTagAfterNfkcAndCaseFolding() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String cafe = "café" + run;
        post("/tags", "{\"name\":\"" + cafe + "\",\"color\":\"#1E88E5\"}").statusCode(201);
        for (String same : List.of("cafe\u0301" + run, "CAFÉ" + run.toUpperCase(), "Café" + run, "ｃａｆé" + run)) {
            post("/tags", "{\"name\":\"" + same + "\",\"color\":\"#1E88E5\"}").statusCode(409)
                    .contentType("application/problem+json").body("detail", containsString(cafe));
        }
        // full width without the accent is another word: cafe, then one tag with it
        post("/tags", "{\"name\":\"ｃａｆｅ" + run + "\",\"color\":\"#1E88E5\"}").statusCode(201);
        post("/tags", "{\"name\":\"CAFE" + run.toUpperCase() + "\",\"color\":\"#1E88E5\"}").statusCode(409);
        // the database keeps it so, whoever writes
        org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("insert into tag (id, name, name_key, color, created_at) values ('" + UUID.randomUUID()
                        + "', 'x', '" + dev.syncline.connection.tags.TagNames.key(cafe) + "', '#000000', now())");
            }
        });
    }

    @Test
    void theMigrationMergesTagsThatAreNowOneKeepingTheOldestOnTheirConnections() throws Exception {
        String schema = "tag_migration_" + UUID.randomUUID().toString().substring(0, 8);
        String nfc = UUID.randomUUID().toString();
        String nfd = UUID.randomUUID().toString();
        String upper = UUID.randomUUID().toString();
        String wide = UUID.randomUUID().toString();
        String marketing = UUID.randomUUID().toString();
        String c1 = UUID.randomUUID().toString();
        String c2 = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
            s.execute("set search_path to " + schema);
            // the tables as V2 made them
            s.execute("create table tag (id uuid primary key, name text not null unique, color text not null, created_at timestamptz not null)");
            s.execute("create table connection (id uuid primary key, tags text not null default '[]')");
            s.execute("insert into tag values ('" + nfc + "', 'café', '#111111', now() - interval '3 days'),"
                    + " ('" + nfd + "', 'cafe\u0301', '#222222', now() - interval '2 days'),"
                    + " ('" + upper + "', 'CAFÉ', '#333333', now() - interval '1 day'),"
                    + " ('" + wide + "', 'ｃａｆé', '#444444', now()),"
                    + " ('" + marketing + "', 'marketing', '#555555', now())");
            s.execute("insert into connection values ('" + c1 + "', '[\"" + nfd + "\",\"" + marketing + "\"]'),"
                    + " ('" + c2 + "', '[\"" + upper + "\",\"" + nfc + "\",\"" + wide + "\"]')");
            Map<String, String> merged = db.migration.V8_13__tag_names_compared_folded.merge(c);
            assertThat(merged).containsOnlyKeys(nfd, upper, wide).containsValues(nfc);
            List<String> left = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select name from tag order by created_at")) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            }
            assertThat(left).containsExactlyInAnyOrder("café", "marketing");
            try (ResultSet rs = s.executeQuery("select id::text, tags from connection order by id")) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo(rs.getString(1).equals(c1)
                            ? "[\"" + nfc + "\",\"" + marketing + "\"]" : "[\"" + nfc + "\"]");
                }
            }
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> s.execute(
                    "insert into tag values ('" + UUID.randomUUID() + "', 'Marketing', '#000000', now(), 'marketing')"));
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop schema if exists " + schema + " cascade");
            }
        }
    }
}
