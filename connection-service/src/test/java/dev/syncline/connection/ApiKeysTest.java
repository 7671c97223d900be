package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.syncline.events.ApiKeyIssued;
import dev.syncline.events.ApiKeyRevoked;
import dev.syncline.events.Topics;
import dev.syncline.testing.TestKeys;
import dev.syncline.testing.quarkus.InfrastructureResource;
import dev.syncline.testing.quarkus.RestAssuredKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API keys: every endpoint needs one, roles decide what it may do, keys are listed by prefix, revoked and expire. */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ApiKeysTest {

    static Map<String, Object> issue(String name, String role, String expiresAt) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\""
                        + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}")
                .post("/api-keys").then().statusCode(201).extract().as(Map.class);
    }

    static ValidatableResponse as(String key, String method, String path, String body) {
        var spec = given().header("Authorization", "Bearer " + key);
        if (body != null) {
            spec = spec.contentType(ContentType.JSON).body(body);
        }
        return spec.request(method, path).then();
    }

    @Test
    void withoutAKeyEveryEndpointIs401ProblemJsonButHealthAndMetricsAreOpen() {
        for (String path : new String[] {"/sources", "/destinations", "/connections", "/api-keys", "/me", "/tags"}) {
            given().header(RestAssuredKey.ANONYMOUS, "yes").get(path).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401)).body("detail", containsString("API key"));
        }
        given().header(RestAssuredKey.ANONYMOUS, "yes").contentType(ContentType.JSON).body("{}").post("/sources")
                .then().statusCode(401).contentType("application/problem+json");
        given().header(RestAssuredKey.ANONYMOUS, "yes").get("/q/health").then().statusCode(200);
        given().header(RestAssuredKey.ANONYMOUS, "yes").get("/q/metrics").then().statusCode(200);
        given().header(RestAssuredKey.ANONYMOUS, "yes").get("/q/openapi").then().statusCode(200);
        // not a Syncline key, not a bearer token, an unknown key: all 401 problem+json
        as("nope", "GET", "/sources", null).statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/sources").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("Bearer"));
        as(dev.syncline.apikeys.ApiKeys.generate(), "GET", "/sources", null).statusCode(401)
                .body("detail", equalTo("unknown API key"));
    }

    @Test
    void rolesDecideWhatAKeyMayDoAndAViewerNeverSeesSecretFields() {
        String editor = (String) issue("editor key", "editor", null).get("key");
        String viewer = (String) issue("viewer key", "viewer", null).get("key");
        String destination = as(editor, "POST", "/destinations", "{\"name\":\"W\",\"destinationType\":\"postgres\","
                + "\"configuration\":{\"host\":\"h\",\"port\":5432,\"database\":\"d\",\"username\":\"u\","
                + "\"password\":\"Wh1sper-vw\",\"schema\":\"public\"}}").statusCode(201).extract().path("destinationId");

        as(viewer, "GET", "/me", null).statusCode(200).body("role", equalTo("viewer")).body("name", equalTo("viewer key"));
        as(viewer, "GET", "/destinations/" + destination, null).statusCode(200)
                .body("configuration.username", equalTo("u")).body("configuration", not(org.hamcrest.Matchers.hasKey("password")));
        as(viewer, "GET", "/destinations", null).statusCode(200)
                .body("find { it.destinationId == '" + destination + "' }.configuration.password", nullValue());
        as(editor, "GET", "/destinations/" + destination, null).statusCode(200)
                .body("configuration.password", equalTo("**********"));
        // a viewer changes nothing; an editor does not manage keys; the services' credential only reads
        as(viewer, "POST", "/sources", "{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1}}")
                .statusCode(403).contentType("application/problem+json").body("detail", containsString("POST /sources"));
        as(viewer, "DELETE", "/destinations/" + destination, null).statusCode(403);
        as(viewer, "GET", "/api-keys", null).statusCode(403);
        as(editor, "GET", "/api-keys", null).statusCode(403).contentType("application/problem+json");
        as(editor, "POST", "/api-keys", "{\"name\":\"mine\",\"role\":\"admin\"}").statusCode(403);
        as(TestKeys.SERVICE, "GET", "/sources", null).statusCode(200);
        as(TestKeys.SERVICE, "POST", "/sources", "{\"name\":\"S\",\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":1}}")
                .statusCode(403);
        as(editor, "DELETE", "/destinations/" + destination, null).statusCode(204);
    }

    @Test
    void keysAreListedByPrefixRevokedAndExpireAndTheirChangesAreEvents() throws Exception {
        Map<String, Object> issued = issue("CI pipeline", "editor", null);
        String key = (String) issued.get("key");
        String keyId = (String) issued.get("keyId");
        assertThat(key).startsWith("syk_").hasSizeGreaterThan(40);
        assertThat(issued.get("prefix")).isEqualTo(key.substring(0, 12));

        // listed by prefix: neither the key nor its hash ever comes back
        String list = given().get("/api-keys").then().statusCode(200)
                .body("find { it.keyId == '" + keyId + "' }.prefix", equalTo(key.substring(0, 12)))
                .body("find { it.keyId == '" + keyId + "' }.status", equalTo("active"))
                .body("name", hasItem("admin (created by the launcher)"))
                .extract().asString();
        assertThat(list).doesNotContain(key).doesNotContain(dev.syncline.apikeys.ApiKeys.hash(key)).doesNotContain("keyHash");
        ApiKeyIssued event = Fixtures.events().awaitOne(Topics.API_KEYS, ApiKeyIssued.class, e -> e.getKeyId().equals(keyId));
        assertThat(event.getKeyHash()).isEqualTo(dev.syncline.apikeys.ApiKeys.hash(key));
        assertThat(event.toString()).doesNotContain(key);

        as(key, "GET", "/sources", null).statusCode(200);
        given().delete("/api-keys/" + keyId).then().statusCode(200).body("status", equalTo("revoked"))
                .body("revokedAt", notNullValue());
        given().delete("/api-keys/" + keyId).then().statusCode(200).body("status", equalTo("revoked"));
        as(key, "GET", "/sources", null).statusCode(401).body("detail", containsString("revoked"));
        Fixtures.events().awaitOne(Topics.API_KEYS, ApiKeyRevoked.class, e -> e.getKeyId().equals(keyId));

        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(2).toString();
        String expiring = (String) issue("short-lived", "viewer", soon).get("key");
        as(expiring, "GET", "/sources", null).statusCode(200);
        Thread.sleep(2500);
        as(expiring, "GET", "/sources", null).statusCode(401).body("detail", containsString("expired"));

        given().contentType(ContentType.JSON).body("{\"name\":\"old\",\"role\":\"viewer\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/api-keys").then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"role\":\"root\"}")
                .post("/api-keys").then().statusCode(400).body("errors[0].field", equalTo("role"));
        given().get("/api-keys/" + java.util.UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void failedSignInsAreCountedPerKeyPrefixAndAddressSoOneClientsWrongKeysLockOutNoOtherKey() throws Exception {
        // the console calls for every user from one address: a user typing one wrong key over and over (the same prefix)
        // locks out that prefix from that address, even its right key, and nothing else
        String key = (String) issue("typed wrong", "viewer", null).get("key");
        String wrong = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        int refused = 0;
        int status = 401;
        while (status == 401 && refused <= 10) { // the test profile's window is 3 s, at most 10 failures in it
            status = as(wrong, "GET", "/sources", null).extract().statusCode();
            refused += status == 401 ? 1 : 0;
        }
        assertThat(status).as("after %d failed attempts", refused).isEqualTo(429);
        as(wrong, "GET", "/sources", null).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("detail", containsString("too many failed"));
        as(key, "GET", "/sources", null).statusCode(429);
        // every other user of the same address goes on working: another key, and a key typed wrong by someone else
        as(TestKeys.ADMIN, "GET", "/sources", null).statusCode(200);
        as(TestKeys.SERVICE, "GET", "/sources", null).statusCode(200);
        as(dev.syncline.apikeys.ApiKeys.generate(), "GET", "/sources", null).statusCode(401);
        Thread.sleep(3500);
        as(key, "GET", "/sources", null).statusCode(200);
    }
}
