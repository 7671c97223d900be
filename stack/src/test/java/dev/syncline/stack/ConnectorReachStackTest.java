package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.infra.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, items 2 and 3, on a stack started as the README starts it: an editor's source or destination pointed at
 * the stack's own PostgreSQL databases, Kafka, registry, services or console, or at the admin key in the data folder,
 * is refused with 400 naming the setting; the walkthrough's warehouse and the data folder's {@code files} still work.
 */
@ExtendWith(SharedStack.class)
class ConnectorReachStackTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static Stack stack;
    static String cs;
    static String editor;

    @BeforeAll
    static void editor() throws Exception {
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
        editor = call("POST", cs + "/api-keys", "{\"name\":\"reach-editor\",\"role\":\"editor\"}").body().path("key").asText();
    }

    /** {@code body} POSTed to connection-service's {@code path} with the editor's key. */
    static EndToEndTest.Reply asEditor(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(cs + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + editor).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new EndToEndTest.Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), JSON.readTree(r.body()));
    }

    static String postgres(String kind, String type, String host, int port, String database) {
        ObjectNode c = JSON.createObjectNode().put("host", host).put("port", port).put("database", database)
                .put("username", PostgresServer.USER).put("password", stack.infrastructure().postgres().password());
        if (!kind.equals("source")) {
            c.put("schema", "public");
        }
        return "{\"name\":\"Reach\",\"" + kind + "Type\":\"" + type + "\",\"configuration\":" + c + "}";
    }

    static void refused(EndToEndTest.Reply r, String field, String words) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo(field);
        assertThat(r.body().path("errors").get(0).path("message").asText()).contains(words);
    }

    @Test
    void theStacksOwnDatabasesAreRefusedToPostgresConnectors() throws Exception {
        int pg = stack.infrastructure().postgres().port();
        for (String host : List.of("127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0")) {
            for (Service s : List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS)) {
                refused(asEditor("/destinations", postgres("destination", "postgres-table", host, pg, s.database())),
                        "configuration.database", "belongs to Syncline itself");
            }
            refused(asEditor("/sources", postgres("source", "postgres", host, pg, "connection")),
                    "configuration.database", "belongs to Syncline itself");
            refused(asEditor("/destinations", postgres("destination", "postgres", host, pg, "registry")),
                    "configuration.database", "belongs to Syncline itself");
        }
        // the walkthrough's destination: a database of the user's own on the same server
        assertThat(asEditor("/destinations", postgres("destination", "postgres", "127.0.0.1", pg, Stack.WAREHOUSE)).status())
                .isEqualTo(201);
    }

    @Test
    void kafkaTheRegistryTheServicesAndTheConsoleAreRefusedToEveryConnector() throws Exception {
        List<String> urls = new ArrayList<>();
        for (Service s : Service.values()) {
            urls.add(stack.url(s));
        }
        urls.add(stack.infrastructure().registry().url());
        for (String url : urls) {
            String localhost = url.replace("127.0.0.1", "localhost");
            refused(asEditor("/destinations", "{\"name\":\"Reach\",\"destinationType\":\"http-api\",\"configuration\":{\"base_url\":\""
                    + localhost + "\",\"objects\":{\"o\":{\"schema\":{},\"endpoints\":{\"insert\":\"/x\"}}}}}"),
                    "configuration.base_url", "an address of Syncline itself");
        }
        String kafka = stack.infrastructure().kafka().bootstrapServers();
        int kafkaPort = Integer.parseInt(kafka.substring(kafka.lastIndexOf(':') + 1));
        refused(asEditor("/destinations", postgres("destination", "postgres", "localhost", kafkaPort, Stack.WAREHOUSE)),
                "configuration.host", "an address of Syncline itself");
    }

    @Test
    void filesOnlyUnderTheDataFoldersFilesFolder() throws Exception {
        Path adminKey = stack.dir().resolve(ApiKeyFiles.ADMIN).toAbsolutePath();
        assertThat(adminKey).exists();
        for (String path : List.of(adminKey.toString(), "/etc/shadow", stack.dir().toAbsolutePath() + "/*.key")) {
            refused(asEditor("/sources", "{\"name\":\"Reach\",\"sourceType\":\"files\",\"configuration\":{\"path\":\"" + path + "\"}}"),
                    "configuration.path", "outside the folders connectors may read and write");
        }
        // the folder a user puts files in (SYNCLINE_FILES of ./syncline env): read and discovered end to end
        Path files = stack.dir().resolve("files").toAbsolutePath();
        Files.writeString(files.resolve("reach-orders.csv"), "id,amount\n1,10\n2,20\n");
        EndToEndTest.Reply created = asEditor("/sources", "{\"name\":\"Orders\",\"sourceType\":\"files\",\"configuration\":{\"path\":\""
                + files.resolve("reach-orders.csv") + "\"}}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        JsonNode catalog = EndToEndTest.discovered("the files source", cs + "/sources/" + created.body().path("sourceId").asText()
                + "/catalog", Duration.ofSeconds(120));
        assertThat(catalog.path("catalog").path("streams").get(0).path("name").asText()).isEqualTo("reach-orders");
        assertThat(stack.environmentExports()).contains("export SYNCLINE_FILES='" + files + "'");
    }
}
