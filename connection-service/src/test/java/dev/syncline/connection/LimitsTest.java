package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Limits: connections per source (5 in the test profile), page sizes, and what a source may point at: a files path
 * that climbs out of its folder is refused, and only an admin may set up a source that runs a command on the server.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class LimitsTest {
    @Test
    void aSourceTakesAtMostTheConfiguredNumberOfConnections() {
        String source = Fixtures.discoveredSource();
        String destination = Fixtures.destination();
        for (int i = 0; i < 5; i++) {
            Fixtures.connection(source, destination, ",\"prefix\":\"p" + i + "_\"");
        }
        given().contentType(ContentType.JSON).body("{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\"}")
                .post("/connections").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already has 5 connections"))
                .body("detail", containsString("syncline.limits.connections-per-source"));
        // another source is not limited by this one's
        Fixtures.connection(Fixtures.discoveredSource(), destination, "");
    }

    @Test
    void pageSizesAreBounded() {
        given().get("/connections?limit=501").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/connections?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/connections?limit=abc").then().statusCode(400).contentType("application/problem+json");
        given().get("/connections/00000000-0000-0000-0000-000000000000/timeline?limit=1001").then().statusCode(400);
    }

    @Test
    void aFilesPathThatClimbsOutOfItsFolderIsRefused() {
        for (String path : new String[] {"../../etc/passwd", "/data/../../etc/passwd", "/data/orders/..", "relative/orders.csv",
                "/data/a\nb.csv"}) {
            given().contentType(ContentType.JSON).body(Map.of("name", "Files", "sourceType", "files",
                            "configuration", Map.of("path", path)))
                    .post("/sources").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("configuration.path"))
                    .body("errors[0].message", containsString("no '..' segment"));
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "Files", "sourceType", "files",
                "configuration", Map.of("path", InfrastructureResource.filesRoot() + "/orders/*.csv"))).post("/sources")
                .then().statusCode(201);
    }

    @Test
    void onlyAnAdminSetsUpASourceThatRunsACommandOnTheServer() {
        String editor = (String) ApiKeysTest.issue("editor", "editor", null).get("key");
        String body = "{\"name\":\"Faker\",\"sourceType\":\"airbyte-process\",\"configuration\":{\"command\":[\"source-faker\"]}}";
        ApiKeysTest.as(editor, "POST", "/sources", body).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("only an admin"));
        String id = given().contentType(ContentType.JSON).body(body).post("/sources").then().statusCode(201)
                .extract().path("sourceId");
        ApiKeysTest.as(editor, "PATCH", "/sources/" + id, "{\"configuration\":{\"command\":[\"sh\",\"-c\",\"id\"]}}")
                .statusCode(403);
        ApiKeysTest.as(editor, "PATCH", "/sources/" + id, "{\"name\":\"Faker 2\"}").statusCode(403);
    }
}
