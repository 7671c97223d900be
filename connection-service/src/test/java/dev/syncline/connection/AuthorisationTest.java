package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.testing.TestKeys;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Authorisation is decided on the resource method a request reached, never on its path: an editor cannot reach the
 * API keys by a path that routes there but reads differently (matrix parameters, encodings, extra slashes). The stack's
 * AuthorisationStackTest walks every operation of every service the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class AuthorisationTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    /** The request exactly as written: no client normalises its path. */
    static HttpResponse<String> raw(String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + key);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String issue(String role) {
        return given().contentType(ContentType.JSON).body("{\"name\":\"" + role + " for authorisation\",\"role\":\"" + role + "\"}")
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }

    @Test
    void anEditorNeverReachesTheApiKeysByAPathThatReadsDifferently() throws Exception {
        String editor = issue("editor");
        String viewer = issue("viewer");
        int before = given().get("/api-keys").then().statusCode(200).extract().path("size()");
        String admin = "{\"name\":\"escalated\",\"role\":\"admin\"}";
        // matrix parameters: refused outright, whoever asks
        for (String path : List.of("/api-keys;x=1", "/api-keys;", "/api-keys;/", "/me;x", "/sources;a=b")) {
            HttpResponse<String> r = raw(editor, "GET", path, null);
            assertThat(r.statusCode()).as("GET " + path).isEqualTo(400);
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
            assertThat(JSON.readTree(r.body()).path("detail").asText()).contains("matrix parameters");
        }
        HttpResponse<String> escalation = raw(editor, "POST", "/api-keys;x=1", admin);
        assertThat(escalation.statusCode()).isEqualTo(400);
        assertThat(raw(viewer, "GET", "/api-keys;", null).statusCode()).isEqualTo(400);
        // every other spelling that may route to the API keys: refused by the method's own check, or routed nowhere
        for (String path : List.of("/api-keys", "/api-keys/", "//api-keys", "/api-keys//", "/%61pi-keys", "/api%2Dkeys",
                "/sources/..%2Fapi-keys", "/sources/%2e%2e/api-keys", "/./api-keys", "/sources/../api-keys", "/API-KEYS")) {
            for (String key : List.of(editor, viewer, TestKeys.SERVICE)) {
                HttpResponse<String> post = raw(key, "POST", path, admin);
                HttpResponse<String> list = raw(key, "GET", path, null);
                for (HttpResponse<String> r : List.of(post, list)) {
                    assertThat(r.statusCode()).as(r.request().method() + " " + path + ": " + r.body()).isIn(403, 404, 405);
                    assertThat(r.headers().firstValue("content-type").orElse("")).as(path).startsWith("application/problem+json");
                }
            }
        }
        assertThat(given().get("/api-keys").then().statusCode(200).extract().<Integer>path("size()")).isEqualTo(before);
        // and the right roles still get there
        assertThat(raw(TestKeys.ADMIN, "GET", "/api-keys/", null).statusCode()).isIn(200, 404);
        assertThat(raw(editor, "GET", "/me", null).statusCode()).isEqualTo(200);
        assertThat(raw(viewer, "GET", "/sources", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aForbiddenCallIsProblemJsonNamingTheMethodAndPath() throws Exception {
        String viewer = issue("viewer");
        HttpResponse<String> r = raw(viewer, "POST", "/tags", "{\"name\":\"nope\",\"color\":\"#000000\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(403);
        assertThat(p.path("detail").asText()).contains("POST /tags");
        assertThat(Map.of("type", p.path("type").asText())).containsEntry("type", "https://syncline.dev/problems/forbidden");
    }
}
