package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Data activation on the real stack: 10,000 contacts, 300 of them bad in five ways, upserted into an application's
 * strict table; exactly the good rows are written and exactly the bad ones are kept with their reason; fixing 100 of
 * them in the source makes the next sync write them and mark them resolved.
 */
@ExtendWith(SharedStack.class)
class ActivationStackTest {
    static final int ROWS = 10_000;
    static Stack stack;
    static String cs;

    @BeforeAll
    static void start() {
        stack = SharedStack.stack();
        cs = stack.url(Service.CONNECTION);
    }

    /** Rows 51..3050 whose id ends in 1-5 (mod 50) are bad, 60 of each kind; every other row is good. */
    static String kind(int i) {
        if (i < 51 || i > 3050) {
            return "good";
        }
        return switch (i % 50) {
            case 1 -> "missing email";
            case 2 -> "malformed email";
            case 3 -> "text age";
            case 4 -> "too long";
            case 5 -> "duplicate email";
            default -> "good";
        };
    }

    static final Map<String, String> EXPECTED = Map.of("missing email", "email:MISSING_REQUIRED",
            "malformed email", "email:INVALID_FORMAT", "text age", "age:TYPE_MISMATCH", "too long", "name:TOO_LONG",
            "duplicate email", "email:CONSTRAINT_VIOLATION");

    static JsonNode awaitJob(String ss, String connection, int jobs) throws Exception {
        return poll("job " + jobs + " done", Duration.ofSeconds(180), () -> call("GET", ss + "/connections/" + connection + "/jobs", null).body(),
                j -> j.size() == jobs && List.of("succeeded", "failed").contains(j.path(0).path("status").asText())).path(0);
    }

    /** An activation connection, created once the source's streams and the destination's objects are discovered. */
    static JsonNode createdOnceDiscovered(String cs, String body) throws Exception {
        return poll("activation connection created", Duration.ofSeconds(120), () -> {
            EndToEndTest.Reply r = call("POST", cs + "/connections", body);
            return r.status() == 201 ? r.body() : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }, n -> !n.isMissingNode());
    }

    static JsonNode rejected(String rj, String query) throws Exception {
        return call("GET", rj + "/rejected-records?limit=1000&" + query, null).body().path("data");
    }

    /** The console's Rejected records tab over the 200 open ones: filter, export, dismiss one, dismiss all matching. */
    void rejectedRecordsTab(String connection, String rj, JsonNode open) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String tab = stack.url(Service.CONSOLE) + "/connections/" + connection + "/rejected";
        String page = EndToEndTest.page(tab);
        // newest first, 100 a page: the newest open record is on the first
        assertThat(page).contains("<span id=\"total\">200</span>", "INVALID_FORMAT", "TOO_LONG", "Next page",
                "data-rejected-id=\"" + open.path(open.size() - 1).path("id").asLong() + "\"").doesNotContain("role=\"alert\"");
        long tooLong = 0;
        for (JsonNode r : open) {
            tooLong += r.at("/reasons/0/code").asText().equals("TOO_LONG") ? 1 : 0;
        }
        assertThat(EndToEndTest.page(tab + "?reason=TOO_LONG")).contains("<span id=\"total\">" + tooLong + "</span>",
                "<strong>name</strong>");

        java.net.http.HttpResponse<String> csv = http.send(EndToEndTest.browser(tab + "/export?format=csv&status=open").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("content-disposition").orElse("")).contains("attachment", ".csv");
        assertThat(csv.body().lines().count()).isEqualTo(201); // the header, then each open record
        assertThat(csv.body().lines().findFirst().orElseThrow()).contains("rejected_reason", "rejected_field");

        long one = open.path(0).path("id").asLong();
        java.net.http.HttpResponse<String> dismissed = http.send(EndToEndTest.browser(tab + "/" + one + "/dismiss").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("query=status%3Dopen")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(dismissed.statusCode()).isEqualTo(303);
        assertThat(call("GET", rj + "/rejected-records/" + one, null).body().path("status").asText()).isEqualTo("dismissed");

        java.net.http.HttpResponse<String> all = http.send(EndToEndTest.browser(tab + "/dismiss").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("reason=TOO_LONG&query=status%3Dopen")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(all.statusCode()).isEqualTo(303);
        String after = EndToEndTest.page(stack.url(Service.CONSOLE) + all.headers().firstValue("location").orElseThrow()
                .replaceFirst("^https?://[^/]+", ""));
        boolean firstWasTooLong = open.path(0).at("/reasons/0/code").asText().equals("TOO_LONG");
        long matching = firstWasTooLong ? tooLong - 1 : tooLong;
        assertThat(after).contains("Dismissed " + matching + " rejected record");
        assertThat(rejected(rj, "status=open&reasonCode=TOO_LONG&connectionId=" + connection).size()).isZero();
        assertThat(rejected(rj, "status=open&connectionId=" + connection).size()).isEqualTo(200 - 1 - matching);
    }

    /**
     * Turns the connection's sync log on (once sync-service has the connection), after the refusals an intruder or a
     * slip would meet: no destination, an unknown one, one that is not a database, a retention out of range, and the
     * tab that shows it. {@code notADatabase}: an http-api destination to offer, or null.
     */
    static void turnOnSyncLogs(String ss, String connection, String logDestination, String notADatabase) throws Exception {
        String url = ss + "/connections/" + connection + "/sync-logs";
        poll("sync-service has the connection", Duration.ofSeconds(60),
                () -> com.fasterxml.jackson.databind.node.IntNode.valueOf(call("GET", url, null).status()), st -> st.asInt() == 200);
        assertThat(call("GET", url, null).body().path("enabled").asBoolean()).isFalse();
        EndToEndTest.Reply missing = call("PUT", url, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().at("/errors/0/field").asText()).isEqualTo("destinationId");
        EndToEndTest.Reply unknown = call("PUT", url, "{\"destinationId\":\"" + java.util.UUID.randomUUID() + "\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/errors/0/field").asText()).isEqualTo("destinationId");
        assertThat(call("PUT", url, "{\"destinationId\":\"" + logDestination + "\",\"retentionDays\":0}").body()
                .at("/errors/0/field").asText()).isEqualTo("retentionDays");
        if (notADatabase != null) {
            EndToEndTest.Reply api = call("PUT", url, "{\"destinationId\":\"" + notADatabase + "\"}");
            assertThat(api.status()).isEqualTo(400);
            assertThat(api.body().at("/errors/0/message").asText()).contains("a postgres, postgres-table or duckdb destination",
                    "http-api");
        }
        assertThat(call("PUT", ss + "/connections/not-a-uuid/sync-logs", "{}").status()).isEqualTo(400);
        // once sync-service has the log's destination too (a new one travels on its own)
        JsonNode on = poll("the sync log saved", Duration.ofSeconds(60), () -> {
            EndToEndTest.Reply r = call("PUT", url, "{\"destinationId\":\"" + logDestination + "\",\"retentionDays\":30}");
            return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("status", r.status()).set("body", r.body());
        }, r -> r.path("status").asInt() != 400 || !r.path("body").toString().contains("no destination with id"));
        assertThat(on.path("status").asInt()).as(on.toString()).isEqualTo(200);
        assertThat(on.path("body").path("enabled").asBoolean()).isTrue();
        assertThat(on.path("body").path("retentionDays").asInt()).isEqualTo(30);
        assertThat(on.path("body").path("tables")).hasSize(3);
        // when it was turned on and last saved: saved again, created stays and updated moves on
        java.time.OffsetDateTime created = java.time.OffsetDateTime.parse(on.path("body").path("createdAt").asText());
        JsonNode again = call("PUT", url, "{\"destinationId\":\"" + logDestination + "\",\"retentionDays\":30}").body();
        assertThat(java.time.OffsetDateTime.parse(again.path("createdAt").asText())).isEqualTo(created);
        assertThat(java.time.OffsetDateTime.parse(again.path("updatedAt").asText())).isAfter(created);
    }

    /** What a connection's sync log holds in the user's database. */
    record SyncLogs(List<Run> runs, List<Change> changes, Map<String, String> snapshot) {
        /** A connection to the log's database. */
        interface Opener {
            Connection open() throws Exception;
        }

        /** The DuckDB file, once sync-service's writer has let go of it (it holds it only while it writes). */
        static Connection duckDb(java.nio.file.Path file) throws Exception {
            for (int i = 0; ; i++) {
                try {
                    return java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                } catch (java.sql.SQLException locked) {
                    if (i >= 100 || locked.getMessage() == null || !locked.getMessage().contains("lock")) {
                        throw locked;
                    }
                    Thread.sleep(200);
                }
            }
        }

        record Run(long jobId, String jobType, String status, long read, long written, long rejected) { }

        /** {@code reason}: field:code of a rejection. */
        record Change(long jobId, long id, String key, String object, String operation, String status, String reason,
                      JsonNode payload) { }

        /** Until the log holds {@code operations} record operations and nothing waits. */
        static void await(String ss, String connection, long operations) throws Exception {
            poll("the sync log written (" + operations + ")", Duration.ofSeconds(120),
                    () -> call("GET", ss + "/connections/" + connection + "/sync-logs", null).body(),
                    l -> l.path("writtenOperations").asLong() == operations && l.path("pendingBatches").asLong() == 0
                            && l.path("lastError").isNull());
        }

        static SyncLogs read(Connection c, String connection) throws Exception {
            List<Run> runs = new java.util.ArrayList<>();
            try (var st = c.prepareStatement("select job_id, job_type, status, records_read, records_written, records_rejected "
                    + "from syncline_audit.sync_runs where connection_id = ?::uuid order by job_id")) {
                st.setString(1, connection);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            List<Change> changes = new java.util.ArrayList<>();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            try (var st = c.prepareStatement("select job_id, (payload::json->>'id')::bigint, record_key, object, operation, status, "
                    + "reason_field || ':' || reason_code, payload::text from syncline_audit.sync_changelog "
                    + "where connection_id = ?::uuid order by job_id, attempt, seq")) {
                st.setString(1, connection);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), json.readTree(rs.getString(8))));
                }
            }
            Map<String, String> snapshot = new HashMap<>();
            try (var st = c.prepareStatement("select object || ' ' || record_key, status from syncline_audit.sync_snapshot "
                    + "where connection_id = ?::uuid")) {
                st.setString(1, connection);
                ResultSet rs = st.executeQuery();
                while (rs.next()) {
                    snapshot.put(rs.getString(1), rs.getString(2));
                }
            }
            return new SyncLogs(runs, changes, snapshot);
        }
    }

    interface Written {
        /** The ids of the contacts the destination holds. */
        List<Long> ids() throws Exception;
    }

    @Test
    void upsertsTheGoodContactsIntoATableKeepsTheBadOnesAndWritesThemOnceFixed() throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase("app");
        try (Connection c = pg.connect("app")) {
            c.createStatement().execute("create table contacts (id bigint primary key, email text not null unique, "
                    + "name varchar(40) not null, age integer, created_at timestamptz not null default now())");
        }
        scenario("crm", "{\"name\":\"App\",\"destinationType\":\"postgres-table\",\"configuration\":{\"host\":\"127.0.0.1\","
                + "\"port\":" + pg.port() + ",\"database\":\"app\"," + pg.superuser().configMembers() + ","
                + "\"schema\":\"public\"}}", () -> {
                    List<Long> ids = new java.util.ArrayList<>();
                    try (Connection c = pg.connect("app"); ResultSet rs = c.createStatement().executeQuery("select id from contacts")) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                        }
                    }
                    return ids;
                });
    }

    @Test
    void upsertsTheGoodContactsThroughAStrictHttpApiKeepsTheBadOnesAndWritesThemOnceFixed() throws Exception {
        try (dev.syncline.testing.StrictContactsApi api = dev.syncline.testing.StrictContactsApi.start()) {
            scenario("crm_http", "{\"name\":\"Contacts API\",\"destinationType\":\"http-api\",\"configuration\":"
                    + api.destinationConfig() + "}", () -> List.copyOf(api.contacts().keySet()));
        }
    }

    /**
     * Issue 22, item 2: a dry run before the first sync predicts its 9,700 inserts and 300 rejections, each with the
     * field and code the sync will give (the 60 duplicate emails found by asking the table which values it holds and
     * by the records read before them), and writes nothing: no row, no job, no rejected record.
     */
    void dryRunPredictsTheFirstSyncAndWritesNothing(String ss, String rj, String connection, Written written) throws Exception {
        // once sync-service has the connection (its events travel on their own)
        JsonNode preview = poll("a dry run", Duration.ofSeconds(60), () -> {
            EndToEndTest.Reply reply = call("POST", ss + "/connections/" + connection + "/preview", null);
            assertThat(reply.status()).as(reply.body().toString()).isIn(200, 404);
            return reply.status() == 200 ? reply.body() : null;
        }, p -> p != null);
        assertThat(preview.path("recordsRead").asLong()).isEqualTo(ROWS);
        assertThat(preview.path("inserts").asLong()).isEqualTo(ROWS - 300);
        assertThat(preview.path("updates").asLong()).isZero();
        assertThat(preview.path("rejections").asLong()).isEqualTo(300);
        assertThat(preview.path("truncated").asBoolean()).isFalse();
        JsonNode stream = preview.path("streams").path(0);
        assertThat(stream.path("keysChecked").asBoolean()).isTrue();
        assertThat(stream.path("rejectionSamples")).hasSize(50);
        assertThat(stream.path("insertSamples")).hasSize(50);
        for (JsonNode sample : stream.path("rejectionSamples")) {
            int id = sample.path("payload").path("id").asInt();
            assertThat(sample.at("/reasons/0/field").asText() + ":" + sample.at("/reasons/0/code").asText())
                    .as(sample.toString()).isEqualTo(EXPECTED.get(kind(id)));
        }
        assertThat(written.ids()).as("the dry run wrote nothing").isEmpty();
        assertThat(call("GET", ss + "/connections/" + connection + "/jobs", null).body().size()).isZero();
        assertThat(rejected(rj, "connectionId=" + connection).size()).isZero();
        assertThat(call("POST", ss + "/connections/" + connection + "/preview?limit=0", null).status()).isEqualTo(400);
    }

    /**
     * 10,000 people in a source database, 300 of them bad in five ways, upserted by id into a destination's contacts:
     * the good ones written, the bad ones rejected with their field and code; 100 fixed, then written and resolved.
     */
    void scenario(String sourceDb, String destinationJson, Written written) throws Exception {
        var pg = stack.infrastructure().postgres();
        pg.createDatabase(sourceDb);
        try (Connection c = pg.connect(sourceDb)) {
            c.createStatement().execute("create table people (id bigint primary key, email text, full_name text not null, "
                    + "age text, updated_at timestamptz not null)");
            c.createStatement().execute("""
                    insert into people
                    select i,
                           case when i between 51 and 3050 and i % 50 = 1 then null
                                when i between 51 and 3050 and i % 50 = 2 then 'person' || i || '.example.com'
                                when i between 51 and 3050 and i % 50 = 5 then 'p' || (i - 5) || '@example.com'
                                else 'p' || i || '@example.com' end,
                           case when i between 51 and 3050 and i % 50 = 4 then repeat('x', 60) else 'Person ' || i end,
                           case when i between 51 and 3050 and i % 50 = 3 then 'forty' else (20 + i % 50)::text end,
                           timestamptz '2026-01-01' + i * interval '1 second'
                    from generate_series(1, 10000) i""");
        }
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"CRM " + sourceDb + "\","
                + "\"sourceType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\",\"port\":" + pg.port() + ",\"database\":\""
                + sourceDb + "\"," + pg.superuser().configMembers() + "}}"), "sourceId");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", destinationJson), "destinationId");
        String body = "{\"sourceId\":\"" + source + "\",\"destinationId\":\"" + destination + "\",\"name\":\"CRM to " + sourceDb + "\","
                + "\"mappings\":[{\"namespace\":\"public\",\"stream\":\"people\",\"destinationObject\":\"contacts\","
                + "\"insertionMethod\":\"upsert\",\"matchingKey\":[\"id\"],\"syncMode\":\"incremental\",\"cursorField\":[\"updated_at\"],"
                + "\"fields\":[{\"source\":[\"id\"],\"destination\":\"id\"},{\"source\":[\"email\"],\"destination\":\"email\"},"
                + "{\"source\":[\"full_name\"],\"destination\":\"name\"},{\"source\":[\"age\"],\"destination\":\"age\"}]}]}";
        // the source's streams and the destination's objects are discovered first
        JsonNode created = createdOnceDiscovered(cs, body);
        String connection = created.path("connectionId").asText();
        String ss = stack.url(Service.SYNC);
        String rj = stack.url(Service.REJECTS);

        if (sourceDb.equals("crm")) {
            dryRunPredictsTheFirstSyncAndWritesNothing(ss, rj, connection, written);
        }
        // issue 22, item 1: the sync log goes to a DuckDB file (crm), or (crm_http) to a PostgreSQL database that does
        // not exist yet: the sync must not care, and the log must wait for it
        String logDb = sourceDb + "_audit";
        java.nio.file.Path logFile = stack.dir().resolve("files").resolve(logDb + ".duckdb").toAbsolutePath();
        String logDestination = SyncEngineStackTest.created(call("POST", cs + "/destinations", sourceDb.equals("crm")
                ? "{\"name\":\"Audit " + sourceDb + "\",\"destinationType\":\"duckdb\",\"configuration\":{\"path\":\""
                        + logFile + "\"}}"
                : "{\"name\":\"Audit " + sourceDb + "\",\"destinationType\":\"postgres\",\"configuration\":{\"host\":\"127.0.0.1\","
                        + "\"port\":" + pg.port() + ",\"database\":\"" + logDb + "\"," + pg.superuser().configMembers()
                        + ",\"schema\":\"public\"}}"), "destinationId");
        SyncLogs.Opener logs = sourceDb.equals("crm") ? () -> SyncLogs.duckDb(logFile) : () -> pg.connect(logDb);
        turnOnSyncLogs(ss, connection, logDestination, destinationJson.contains("http-api") ? destination : null);
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        JsonNode job = awaitJob(ss, connection, 1);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.at("/streams/0/recordsRead").asLong()).isEqualTo(ROWS);
        assertThat(job.at("/streams/0/recordsRejected").asLong()).isEqualTo(300);

        // exactly the 9,700 good rows are in the destination
        Map<String, Long> good = new HashMap<>();
        for (long id : written.ids()) {
            good.merge(kind((int) id), 1L, Long::sum);
        }
        assertThat(good).containsExactly(Map.entry("good", (long) ROWS - 300));

        // issue 22, item 5: the request inspector keeps the API's last 200 requests and answers, the token redacted
        EndToEndTest.Reply requests = call("GET", ss + "/jobs/" + job.path("jobId").asText() + "/requests", null);
        assertThat(requests.status()).isEqualTo(200);
        if (sourceDb.equals("crm_http")) {
            assertThat(requests.body().size()).isBetween(1, 200);
            JsonNode last = requests.body().get(requests.body().size() - 1);
            assertThat(last.path("method").asText()).isEqualTo("POST");
            assertThat(last.path("url").asText()).endsWith("/contacts/upsert");
            assertThat(last.path("requestHeaders").path("Authorization").asText()).isEqualTo("[redacted]");
            assertThat(last.path("status").asInt()).isBetween(200, 299);
            assertThat(last.path("requestBody").asText()).contains("@example.com");
            assertThat(requests.body().toString()).doesNotContain("test-token-0f3a");
            // the job's page in the console shows them, redacted too
            ConsoleSignIn admin = ConsoleSignIn.of(stack.url(Service.CONSOLE), stack.adminKey());
            String page = java.net.http.HttpClient.newHttpClient().send(admin.apply(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.url(Service.CONSOLE) + "/connections/" + connection + "/jobs/"
                            + job.path("jobId").asText()))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("data-requests", "/contacts/upsert", "[redacted]").doesNotContain("test-token-0f3a");
        } else {
            assertThat(requests.body().size()).as("a database destination sends no HTTP requests").isZero();
        }

        if (!sourceDb.equals("crm")) {
            // the log's database is not there: the sync succeeded all the same, and the log says why it waits
            JsonNode waiting = poll("the sync log waiting for its database", Duration.ofSeconds(60),
                    () -> call("GET", ss + "/connections/" + connection + "/sync-logs", null).body(),
                    l -> l.path("pendingOperations").asLong() == ROWS && l.path("lastError").asText().contains(logDb));
            assertThat(waiting.path("lastError").asText()).as(waiting.toString()).contains("does not exist");
            assertThat(waiting.path("writtenOperations").asLong()).isZero();
            pg.createDatabase(logDb); // the user mends it: the log is written at its next try
        }
        SyncLogs.await(ss, connection, ROWS);
        try (Connection c = logs.open()) {
            SyncLogs log = SyncLogs.read(c, connection);
            assertThat(log.runs()).singleElement().satisfies(r -> assertThat(r).isEqualTo(new SyncLogs.Run(
                    job.path("jobId").asLong(), "sync", "succeeded", ROWS, ROWS - 300, 300)));
            assertThat(log.changes()).hasSize(ROWS);
            for (SyncLogs.Change ch : log.changes()) {
                assertThat(ch.jobId()).isEqualTo(job.path("jobId").asLong());
                assertThat(ch.operation()).isEqualTo("upsert");
                assertThat(ch.object()).isEqualTo("contacts");
                assertThat(ch.key()).isEqualTo("{\"id\":" + ch.id() + "}");
                String kind = kind((int) ch.id());
                if (kind.equals("good")) {
                    assertThat(ch.status()).as(ch.toString()).isEqualTo("succeeded");
                    assertThat(ch.reason()).isNull();
                    assertThat(ch.payload().path("email").asText()).isEqualTo("p" + ch.id() + "@example.com");
                } else {
                    assertThat(ch.status()).as(ch.toString()).isEqualTo("rejected");
                    assertThat(ch.reason()).as(ch.toString()).isEqualTo(EXPECTED.get(kind));
                }
            }
            assertThat(log.snapshot()).hasSize(ROWS);
            assertThat(log.snapshot().values().stream().filter(v -> v.equals("rejected")).count()).isEqualTo(300);
        }

        // exactly the 300 bad ones are in rejects-service, each with the right field and code
        JsonNode all = poll("300 rejected records stored", Duration.ofSeconds(60), () -> rejected(rj, "connectionId=" + connection),
                r -> r.size() == 300);
        for (JsonNode r : all) {
            int id = r.at("/record/id").asInt();
            String reason = r.at("/reasons/0/field").asText() + ":" + r.at("/reasons/0/code").asText();
            assertThat(reason).as("row %d (%s): %s", id, kind(id), r).isEqualTo(EXPECTED.get(kind(id)));
            assertThat(r.path("reasons").size()).as(r.toString()).isEqualTo(1);
            assertThat(r.path("destinationObject").asText()).isEqualTo("contacts");
            assertThat(r.path("mappedPayload").path("id").asInt()).isEqualTo(id);
            assertThat(r.path("insertionMethod").asText()).isEqualTo("upsert");
            assertThat(r.path("recordKey").asText()).isEqualTo("{\"id\":" + id + "}");
            assertThat(r.path("jobId").asLong()).isEqualTo(job.path("jobId").asLong());
        }
        JsonNode counts = call("GET", rj + "/rejected-records/counts?connectionId=" + connection, null).body();
        assertThat(counts.path("total").asLong()).isEqualTo(300);
        assertThat(counts.path("byReason").size()).as(counts.toString()).isEqualTo(5);

        // the user fixes 100 of them in the source: 60 missing and 40 malformed emails
        try (Connection c = pg.connect(sourceDb)) {
            int fixed = c.createStatement().executeUpdate("update people set email = 'p' || id || '@example.com', "
                    + "updated_at = now() where id in (select id from people where id between 51 and 3050 and "
                    + "(id % 50 = 1 or (id % 50 = 2 and id <= 2050)))");
            assertThat(fixed).isEqualTo(100);
        }
        if (sourceDb.equals("crm")) {
            // the dry run of the next sync: the 100 fixed rows are new to the table; the row at the cursor is read again
            JsonNode next = call("POST", ss + "/connections/" + connection + "/preview", null).body();
            assertThat(next.path("inserts").asLong()).as(next.toString()).isEqualTo(100);
            assertThat(next.path("rejections").asLong()).isZero();
            assertThat(next.path("updates").asLong()).isLessThanOrEqualTo(1);
            assertThat(next.at("/streams/0/keysChecked").asBoolean()).isTrue();
        }
        assertThat(call("POST", cs + "/connections/" + connection + "/sync", null).status()).isEqualTo(202);
        JsonNode second = awaitJob(ss, connection, 2);
        assertThat(second.path("status").asText()).as(second.toString()).isEqualTo("succeeded");
        assertThat(written.ids()).hasSize(ROWS - 200);
        poll("100 resolved", Duration.ofSeconds(60), () -> rejected(rj, "status=resolved&connectionId=" + connection),
                r -> r.size() == 100);
        for (JsonNode r : rejected(rj, "status=resolved&connectionId=" + connection)) {
            assertThat(List.of("missing email", "malformed email")).contains(kind(r.at("/record/id").asInt()));
        }
        // the 200 still bad were offered again, rejected again: one open rejection each, the older one superseded
        JsonNode open = poll("200 open", Duration.ofSeconds(60), () -> rejected(rj, "status=open&connectionId=" + connection),
                r -> r.size() == 200);
        for (JsonNode r : open) {
            assertThat(r.path("jobId").asLong()).isEqualTo(second.path("jobId").asLong());
        }
        assertThat(rejected(rj, "status=superseded&connectionId=" + connection).size()).isEqualTo(200);
        // the second sync's operations join the log: the 100 fixed written, the 200 offered again rejected again
        long secondRead = second.at("/streams/0/recordsRead").asLong();
        SyncLogs.await(ss, connection, ROWS + secondRead);
        try (Connection c = logs.open()) {
            SyncLogs log = SyncLogs.read(c, connection);
            long secondJob = second.path("jobId").asLong();
            assertThat(log.runs()).hasSize(2);
            assertThat(log.runs().get(1)).isEqualTo(new SyncLogs.Run(secondJob, "sync", "succeeded", secondRead,
                    secondRead - 200, 200));
            List<SyncLogs.Change> again = log.changes().stream().filter(ch -> ch.jobId() == secondJob).toList();
            assertThat(again).hasSize((int) secondRead);
            assertThat(again.stream().filter(ch -> ch.status().equals("rejected")).count()).isEqualTo(200);
            assertThat(again.stream().filter(ch -> ch.status().equals("succeeded")).map(ch -> kind((int) ch.id())).distinct())
                    .as("the fixed ones, and at most the row at the cursor read again").isSubsetOf("missing email", "malformed email", "good");
            assertThat(again.stream().filter(ch -> ch.status().equals("succeeded") && !kind((int) ch.id()).equals("good")).count())
                    .isEqualTo(100);
            assertThat(log.snapshot()).hasSize(ROWS);
            assertThat(log.snapshot().values().stream().filter(v -> v.equals("rejected")).count()).isEqualTo(200);
        }
        JsonNode detail = call("GET", ss + "/jobs/" + second.path("jobId").asText() + "/logs", null).body();
        assertThat(detail.toString()).contains("offered again");
        if (sourceDb.equals("crm")) {
            rejectedRecordsTab(connection, rj, open);
        }
        System.out.printf("[activation " + sourceDb + "] first sync %s: %d read, %d rejected; second sync %s: %d read, %d rejected, "
                        + "100 resolved, 200 still open%n", job.path("status").asText(), job.at("/streams/0/recordsRead").asLong(),
                job.at("/streams/0/recordsRejected").asLong(), second.path("status").asText(),
                second.at("/streams/0/recordsRead").asLong(), second.at("/streams/0/recordsRejected").asLong());
    }
}
