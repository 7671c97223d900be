package dev.syncline.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, items 2 and 3, as an editor tried them: a source or destination whose config points at Syncline's own
 * databases, registry, Kafka or services, or at a file outside the folders an admin opened, is refused when saved with
 * 400 problem+json naming the setting, and a second visit (a change to such a target, then back) is refused, then taken.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ConnectorReachTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String editor() {
        return (String) ApiKeysTest.issue("reach-editor", "editor", null).get("key");
    }

    /** This service's own database, where it keeps API keys: what the attack wrote a forged admin key into. */
    static String ownDatabase() {
        return ConfigProvider.getConfig().getValue("syncline.connectors.platform.databases", String.class);
    }

    static PostgresServer pg() {
        return InfrastructureResource.infrastructure().postgres();
    }

    static String postgres(String type, String host, int port, String database) {
        ObjectNode c = JSON.createObjectNode().put("host", host).put("port", port).put("database", database)
                .put("username", PostgresServer.USER).put("password", pg().password());
        if (!type.equals("postgres-source")) {
            c.put("schema", "public");
        }
        return c.toString();
    }

    static String destination(String type, String configuration) {
        return "{\"name\":\"Reach\",\"destinationType\":\"" + type + "\",\"configuration\":" + configuration + "}";
    }

    static String source(String type, String configuration) {
        return "{\"name\":\"Reach\",\"sourceType\":\"" + type + "\",\"configuration\":" + configuration + "}";
    }

    @Test
    void aPostgresTableDestinationOrPostgresSourceOnAServicesDatabaseIsRefusedHoweverTheHostIsSpelled() {
        String editor = editor();
        for (String host : List.of("127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0")) {
            ApiKeysTest.as(editor, "POST", "/destinations", destination("postgres-table",
                            postgres("postgres-table", host, pg().port(), ownDatabase())))
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors", hasSize(1))
                    .body("errors[0].field", equalTo("configuration.database"))
                    .body("errors[0].message", containsString("belongs to Syncline itself"))
                    .body("errors[0].message", containsString("syncline.connectors.allowed-targets"));
            ApiKeysTest.as(editor, "POST", "/sources", source("postgres",
                            postgres("postgres-source", host, pg().port(), ownDatabase())))
                    .statusCode(400).body("errors[0].field", equalTo("configuration.database"));
            ApiKeysTest.as(editor, "POST", "/destinations", destination("postgres",
                            postgres("postgres", host, pg().port(), "template1")))
                    .statusCode(400).body("errors[0].field", equalTo("configuration.database"));
        }
    }

    @Test
    void aDatabaseOfTheUsersOwnOnTheSameServerIsTaken() {
        String warehouse = InfrastructureResource.newDatabase("warehouse");
        ApiKeysTest.as(editor(), "POST", "/destinations", destination("postgres",
                postgres("postgres", "127.0.0.1", pg().port(), warehouse))).statusCode(201);
    }

    @Test
    void kafkaAndTheRegistryAreRefusedToEveryConnector() {
        String editor = editor();
        String kafka = InfrastructureResource.infrastructure().kafka().bootstrapServers();
        int kafkaPort = Integer.parseInt(kafka.substring(kafka.lastIndexOf(':') + 1));
        ApiKeysTest.as(editor, "POST", "/destinations", destination("postgres",
                        postgres("postgres", "localhost", kafkaPort, "warehouse")))
                .statusCode(400).body("errors[0].field", equalTo("configuration.host"))
                .body("errors[0].message", containsString("an address of Syncline itself"));
        URI registry = URI.create(InfrastructureResource.infrastructure().registry().url());
        for (String base : List.of(registry.toString(), "http://localhost:" + registry.getPort() + "/apis/registry/v3/admin",
                "http://[::1]:" + registry.getPort())) {
            ApiKeysTest.as(editor, "POST", "/destinations", destination("http-api", "{\"base_url\":\"" + base
                            + "\",\"objects\":{\"o\":{\"schema\":{},\"endpoints\":{\"insert\":\"/x\"}}}}"))
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("configuration.base_url"))
                    .body("errors[0].message", containsString("an address of Syncline itself"));
        }
    }

    @Test
    void aFilesSourceOnlyUnderTheFoldersAnAdminOpened() throws Exception {
        String editor = editor();
        Path root = InfrastructureResource.filesRoot();
        Path dataDir = root.getParent();
        Path adminKey = Files.writeString(dataDir.resolve("admin.key"), "syk_not_for_editors");
        Path link = root.resolve("innocent-" + System.nanoTime() + ".csv");
        Files.createSymbolicLink(link, adminKey);
        for (Path path : List.of(adminKey, Path.of("/etc/shadow"), link, dataDir.resolve("*.key"))) {
            ApiKeysTest.as(editor, "POST", "/sources", source("files", "{\"path\":\"" + path + "\"}"))
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("configuration.path"))
                    .body("errors[0].message", containsString("outside the folders connectors may read and write"))
                    .body("errors[0].message", containsString("syncline.connectors.files.roots"));
        }
        ApiKeysTest.as(editor, "POST", "/sources", source("files", "{\"path\":\"" + root.resolve("orders/*.csv") + "\"}"))
                .statusCode(201);
        // a DuckDB file is a file a connector writes: the same folders
        ApiKeysTest.as(editor, "POST", "/destinations", destination("duckdb", "{\"path\":\"" + dataDir.resolve("w.duckdb") + "\"}"))
                .statusCode(400).body("errors[0].field", equalTo("configuration.path"));
        ApiKeysTest.as(editor, "POST", "/destinations", destination("duckdb", "{\"path\":\"" + root.resolve("w.duckdb") + "\"}"))
                .statusCode(201);
    }

    @Test
    void aChangeTowardsThePlatformIsRefusedAndLeavesTheStoredConfigThenAFixIsTaken() {
        String editor = editor();
        String warehouse = InfrastructureResource.newDatabase("warehouse");
        String id = ApiKeysTest.as(editor, "POST", "/destinations", destination("postgres-table",
                postgres("postgres-table", "127.0.0.1", pg().port(), warehouse))).statusCode(201).extract().path("destinationId");
        // the password comes back masked: sent back as it is, it keeps the stored one
        String towardsPlatform = "{\"configuration\":{\"host\":\"localhost\",\"port\":" + pg().port() + ",\"database\":\""
                + ownDatabase() + "\",\"username\":\"" + PostgresServer.USER + "\",\"password\":\"**********\",\"schema\":\"public\"}}";
        ApiKeysTest.as(editor, "PATCH", "/destinations/" + id, towardsPlatform).statusCode(400)
                .body("errors[0].field", equalTo("configuration.database"));
        given().get("/destinations/" + id).then().statusCode(200).body("configuration.database", equalTo(warehouse));
        ApiKeysTest.as(editor, "PATCH", "/destinations/" + id, towardsPlatform.replace(ownDatabase(), warehouse))
                .statusCode(200).body("configuration.host", equalTo("localhost"));
        // a change of the name alone is not checked again
        given().contentType(ContentType.JSON).body("{\"name\":\"Renamed\"}").patch("/destinations/" + id).then().statusCode(200);
    }
}
