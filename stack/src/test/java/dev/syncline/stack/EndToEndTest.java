package dev.syncline.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.infra.Directories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton's slice, over REST and Kafka only, with all four services running as their own JVMs on
 * the real Kafka, registry and PostgreSQL: source and destination, connection, discovery, sync now, rows in the
 * destination, rejected records in rejects-service; then a restart that keeps the connection.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int ROWS = 1000;
    private static final int MALFORMED = 20;
    /** Half the malformed rows have text in age (written with age NULL, noted in _syncline_meta), half a null id (refused). */
    private static final int REFUSED = MALFORMED / 2;

    record Reply(int status, String contentType, JsonNode body) { }

    /** The key the stack's REST calls carry (its admin key), and a console session signed in with it. */
    static volatile String apiKey;
    static volatile ConsoleSignIn console;

    /** Calls to {@code stack} from now on carry its admin key; its console is signed in with it. */
    static void use(Stack stack) throws IOException, InterruptedException {
        apiKey = stack.adminKey();
        console = ConsoleSignIn.of(stack.url(Service.CONSOLE), apiKey);
    }

    static Reply call(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), r.headers().firstValue("content-type").orElse(""), json);
    }

    /** A console page's HTML (200 expected). */
    static String page(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(browser(url).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** A request to the console from the signed-in browser. */
    static HttpRequest.Builder browser(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        return console == null ? b : console.apply(b);
    }

    static JsonNode poll(String what, Duration timeout, ThrowingSupplier<JsonNode> get, Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get.get();
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " not reached within " + timeout.toSeconds() + " s; last: " + last);
    }

    /** Polls a catalog (a connection's or a source's) until its schema is discovered; returns it. */
    static JsonNode discovered(String what, String catalogUrl, Duration timeout) throws Exception {
        return poll(what, timeout, () -> call("GET", catalogUrl, null).body(), c -> c.path("status").asText().equals("discovered"));
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Test
    void syncsASampleSourceIntoPostgresKeepsRejectedRecordsAndSurvivesARestart() throws Exception {
        Path home = Path.of(System.getProperty("syncline.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory(home.resolve("stack").resolve("target"), "e2e-");
        long t0 = System.nanoTime();
        String connectionId;
        String connectionName;
        Map<Service, Long> pids;
        List<Long> infraPids = new ArrayList<>();
        String adminKey;
        try (Stack stack = Stack.start(home, dir, 2)) {
            System.out.printf("[e2e] stack up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(stack.adminKeyIsNew()).isTrue();
            adminKey = stack.adminKey();
            assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("admin.key")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            use(stack);
            long tFlow = System.nanoTime();
            pids = stack.servicePids();
            infraPids.add(stack.infrastructure().kafka().pid());
            infraPids.add(stack.infrastructure().registry().pid());
            infraPids.add(stack.infrastructure().postgres().pid());
            String cs = stack.url(Service.CONNECTION);

            Reply source = call("POST", cs + "/sources", "{\"name\":\"Sample users\",\"sourceType\":\"sample-data\","
                    + "\"configuration\":{\"seed\":42,\"rows\":" + ROWS + ",\"malformed_rows\":" + MALFORMED + "}}");
            assertThat(source.status()).isEqualTo(201);
            // the walkthrough's user; its generated password must show up nowhere
            String password = stack.warehouse().password();
            Reply destination = call("POST", cs + "/destinations", "{\"name\":\"Warehouse\",\"destinationType\":\"postgres\","
                    + "\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + stack.infrastructure().postgres().port()
                    + ",\"database\":\"" + Stack.WAREHOUSE + "\"," + stack.warehouse().configMembers() + ","
                    + "\"schema\":\"public\"}}");
            assertThat(destination.status()).isEqualTo(201);
            assertThat(destination.body().at("/configuration/password").asText()).isEqualTo("**********");

            Reply connection = call("POST", cs + "/connections", "{\"sourceId\":\"" + source.body().get("sourceId").asText()
                    + "\",\"destinationId\":\"" + destination.body().get("destinationId").asText() + "\"}");
            assertThat(connection.status()).isEqualTo(201);
            connectionId = connection.body().get("connectionId").asText();
            connectionName = connection.body().get("name").asText();
            assertThat(connectionName).isEqualTo("Sample users → Warehouse");

            // the console lists it, with its source and destination by name (escaped: "→" and all)
            HttpResponse<String> page = HTTP.send(browser(stack.url(Service.CONSOLE)
                    + "/connections?q=sample").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-connection-id=\"" + connectionId + "\"", "Sample users → Warehouse",
                    "<td>Sample users</td>", "<td>Warehouse</td>", "status-active").doesNotContain("role=\"alert\"");
            HttpResponse<String> none = HTTP.send(browser(stack.url(Service.CONSOLE)
                    + "/connections?q=nothing-like-it").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.body()).contains("No connection matches.").doesNotContain(connectionId);

            // bad input anywhere in the slice is a problem naming the field, never a 500
            Reply bad = call("POST", cs + "/connections", "{\"sourceId\": 12, ");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");

            String id = connectionId;
            JsonNode catalog = poll("schema discovered", Duration.ofSeconds(90),
                    () -> call("GET", cs + "/connections/" + id + "/catalog", null).body(),
                    c -> c.path("status").asText().equals("discovered") && c.path("streams").size() > 0);
            assertThat(catalog.at("/streams/0/name").asText()).isEqualTo("users");
            assertThat(catalog.path("streams").size()).isEqualTo(3); // users, products, purchases

            Reply sync = call("POST", cs + "/connections/" + connectionId + "/sync", null);
            assertThat(sync.status()).isEqualTo(202);

            String ss = stack.url(Service.SYNC);
            JsonNode job = poll("job succeeded", Duration.ofSeconds(120),
                    () -> call("GET", ss + "/jobs?connectionId=" + id, null).body().path(0),
                    j -> Set.of("succeeded", "failed").contains(j.path("status").asText()));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
            // users: ROWS, products: 50, purchases: as many as users (the sample's defaults)
            assertThat(job.path("recordsRead").asLong()).isEqualTo(ROWS + 50 + ROWS);
            assertThat(job.path("recordsWritten").asLong()).isEqualTo(ROWS + 50 + ROWS - REFUSED);
            assertThat(job.path("recordsRejected").asLong()).isEqualTo(REFUSED);
            assertThat(job.at("/streams/0/stream").asText()).isEqualTo("users");
            assertThat(job.at("/streams/0/recordsRejected").asLong()).isEqualTo(REFUSED);

            try (Connection db = stack.infrastructure().postgres().connect(Stack.WAREHOUSE);
                 ResultSet rs = db.createStatement().executeQuery(
                         "select count(*), count(distinct id), count(*) filter (where id is null), min(email), "
                                 + "count(*) filter (where age is null and _syncline_meta::text like '%DESTINATION_TYPECAST_ERROR%') "
                                 + "from public.users")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(ROWS - REFUSED);
                assertThat(rs.getLong(2)).isEqualTo(ROWS - REFUSED);
                assertThat(rs.getLong(3)).isZero();
                assertThat(rs.getString(4)).endsWith("@example.com");
                assertThat(rs.getLong(5)).isEqualTo(MALFORMED - REFUSED);
            }

            String rj = stack.url(Service.REJECTS);
            JsonNode rejected = poll("rejected records stored", Duration.ofSeconds(60),
                    () -> call("GET", rj + "/rejected-records?connectionId=" + id + "&limit=1000", null).body().path("data"),
                    r -> r.size() == REFUSED);
            Set<String> reasons = new HashSet<>();
            for (JsonNode r : rejected) {
                assertThat(r.path("jobId").asLong()).isEqualTo(job.path("jobId").asLong());
                r.path("reasons").forEach(reason -> reasons.add(reason.path("field").asText() + ":" + reason.path("code").asText()));
            }
            assertThat(reasons).containsExactly("id:MISSING_REQUIRED");
            System.out.printf("[e2e] slice (create, discover, sync %d rows, rejects) in %d ms%n", ROWS,
                    (System.nanoTime() - tFlow) / 1_000_000);

            // the console's connection page shows the job; its buttons act through connection-service
            String console = stack.url(Service.CONSOLE);
            String jobPage = page(console + "/connections/" + id);
            assertThat(jobPage).contains("data-job-id=\"" + job.path("jobId").asLong() + "\"", "status-succeeded",
                    "<td>" + String.format(java.util.Locale.ROOT, "%,d", ROWS + 50 + ROWS - REFUSED) + "</td>", "Sync now")
                    .doesNotContain("role=\"alert\"");
            HttpResponse<String> disabled = HTTP.send(browser(console + "/connections/" + id + "/disable")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(disabled.statusCode()).isEqualTo(303);
            assertThat(call("GET", cs + "/connections/" + id, null).body().path("status").asText()).isEqualTo("inactive");
            assertThat(page(console + disabled.headers().firstValue("location").orElseThrow().replaceFirst("^https?://[^/]+", "")))
                    .contains("Disabled.", "<button type=\"submit\">Enable</button>");
            HTTP.send(browser(console + "/connections/" + id + "/enable")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(call("GET", cs + "/connections/" + id, null).body().path("status").asText()).isEqualTo("active");

            // the password is in no response, no console page, no log line, no Kafka message
            for (String url : List.of(console + "/destinations", console + "/connections", console + "/connections/" + id,
                    console + "/connections/" + id + "/settings", console + "/connections/" + id + "/schema",
                    console + "/connections/" + id + "/timeline", console + "/connections/" + id + "/jobs/" + job.path("jobId").asLong())) {
                assertThat(page(url)).as(url).doesNotContain(password);
            }
            for (String url : List.of(cs + "/destinations", cs + "/destinations/" + destination.body().get("destinationId").asText(),
                    cs + "/connections", ss + "/jobs", rj + "/rejected-records?limit=1000")) {
                assertThat(call("GET", url, null).body().toString()).as(url).doesNotContain(password);
            }
            try (var logs = Files.list(dir.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    assertThat(Files.readString(log)).as(log.toString()).doesNotContain(password);
                }
            }
            var kafka = dev.syncline.testing.EventClient.of(stack.infrastructure());
            long messages = 0;
            for (var topic : dev.syncline.events.Topics.ALL) {
                for (var r : kafka.readRaw(topic.name())) {
                    messages++;
                    assertThat(new String(r.value(), java.nio.charset.StandardCharsets.ISO_8859_1)).as(topic.name())
                            .doesNotContain(password);
                }
            }
            System.out.printf("[e2e] the destination's password is in none of %d Kafka messages, the logs, the responses%n", messages);
        }
        // nothing the stack started is left running
        List<Long> all = new ArrayList<>(pids.values());
        all.addAll(infraPids);
        all.forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process " + pid + " (" + pids + ", kafka/registry/postgres " + infraPids + ")").isEmpty());

        // a restart on the same folder keeps the connection, its job and the destination's rows
        long tRestart = System.nanoTime();
        try (Stack again = Stack.start(home, dir, 2)) {
            System.out.printf("[e2e] restart in %d ms%n", (System.nanoTime() - tRestart) / 1_000_000);
            // the same admin key, not made (nor printed) again
            assertThat(again.adminKeyIsNew()).isFalse();
            assertThat(again.adminKey()).isEqualTo(adminKey);
            use(again);
            Reply kept = call("GET", again.url(Service.CONNECTION) + "/connections/" + connectionId, null);
            assertThat(kept.status()).isEqualTo(200);
            assertThat(kept.body().path("name").asText()).isEqualTo(connectionName);
            assertThat(call("GET", again.url(Service.SYNC) + "/jobs?connectionId=" + connectionId, null).body().size())
                    .isEqualTo(1);
            // and the restarted services still sync (schemas registered before the restart are still valid)
            assertThat(call("POST", again.url(Service.CONNECTION) + "/connections/" + connectionId + "/sync", null).status())
                    .isEqualTo(202);
            String ss = again.url(Service.SYNC);
            poll("second job succeeded", Duration.ofSeconds(120),
                    () -> call("GET", ss + "/jobs?connectionId=" + connectionId, null).body(),
                    jobs -> jobs.size() == 2 && jobs.path(0).path("status").asText().equals("succeeded"));
        }
        System.out.printf("[e2e] whole test in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Directories.deleteExcept(dir, Set.of("logs"));
    }
}
