package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console's Settings tab saves what it shows and keeps what it does not: a stream's destination name set through
 * the API survives a save (it was dropped, and the next sync wrote to another table), whether the save shows that
 * stream's row of the Schema table or not.
 */
@ExtendWith(SharedStack.class)
class ConsoleSettingsStackTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void savingSettingsKeepsADestinationNameSetThroughTheApi() throws Exception {
        Stack stack = SharedStack.stack();
        String cs = stack.url(Service.CONNECTION);
        String console = stack.url(Service.CONSOLE);
        String connection = sampleIntoDuckDb(stack, "Settings", 3, "Kept names");
        // through the API: users go to the table app_users
        assertThat(call("PATCH", cs + "/connections/" + connection, "{\"streams\":[{\"name\":\"users\",\"destinationName\":"
                + "\"app_users\"}]}").status()).isEqualTo(200);
        assertThat(destinationName(cs, connection)).isEqualTo("app_users");

        ConsoleSignIn admin = ConsoleSignIn.of(console, stack.adminKey());
        // a save that does not show the stream's row, then one that shows it (its row posted as the table has it)
        for (String rows : new String[] {"", "&shown=0&s0.touched=1&s0.selected=on"}) {
            String page = HTTP.send(admin.apply(HttpRequest.newBuilder(URI.create(console + "/connections/" + connection
                    + "/settings"))).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher draft = Pattern.compile("name=\"draft\" value=\"([^\"]+)\"").matcher(page);
            assertThat(draft.find()).as("the settings form holds the schema table's draft: " + page).isTrue();
            String form = "csrf-token=" + admin.csrf() + "&draft=" + draft.group(1) + "&name=" + enc("Kept names (saved)")
                    + "&scheduleType=manual&namespaceDefinition=destination&prefix=&schemaChangePolicy=propagate_columns" + rows;
            HttpResponse<String> saved = HTTP.send(admin.apply(HttpRequest.newBuilder(URI.create(console + "/connections/"
                    + connection + "/settings"))).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
            assertThat(saved.headers().firstValue("location").orElse("")).contains("Settings+saved");
            JsonNode c = call("GET", cs + "/connections/" + connection, null).body();
            assertThat(c.path("name").asText()).isEqualTo("Kept names (saved)");
            assertThat(destinationName(cs, connection)).as("after a save with rows [" + rows + "]").isEqualTo("app_users");
        }
    }

    /**
     * A save sends only what the user changed on the page: a prefix set through the API while the page was open, and
     * left alone on it, stays. A save whose streams table outlived its draft is refused, saying so, and saves nothing.
     */
    @Test
    void aSaveSendsOnlyWhatChangedOnThePageAndRefusesWhenItsStreamsTableIsGone() throws Exception {
        Stack stack = SharedStack.stack();
        String cs = stack.url(Service.CONNECTION);
        String console = stack.url(Service.CONSOLE);
        String connection = sampleIntoDuckDb(stack, "Patch", 4, "Patched");
        ConsoleSignIn admin = ConsoleSignIn.of(console, stack.adminKey());
        String page = HTTP.send(admin.apply(HttpRequest.newBuilder(URI.create(console + "/connections/" + connection
                + "/settings"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher draft = Pattern.compile("name=\"draft\" value=\"([^\"]+)\"").matcher(page);
        Matcher was = Pattern.compile("name=\"was\" value=\"([^\"]+)\"").matcher(page);
        assertThat(draft.find() && was.find()).as(page).isTrue();
        String loaded = was.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
        // meanwhile, through the API
        assertThat(call("PATCH", cs + "/connections/" + connection, "{\"prefix\":\"api_\"}").status()).isEqualTo(200);

        String form = "csrf-token=" + admin.csrf() + "&was=" + enc(loaded) + "&name=" + enc("Patched (renamed)")
                + "&scheduleType=manual&namespaceDefinition=destination&prefix=&schemaChangePolicy=propagate_columns";
        HttpResponse<String> gone = post(admin, console + "/connections/" + connection + "/settings", form + "&draft=expired-draft");
        assertThat(gone.statusCode()).isEqualTo(200);
        assertThat(gone.body()).contains("Not saved: this page was open too long", "Patched (renamed)");
        assertThat(call("GET", cs + "/connections/" + connection, null).body().path("name").asText()).isEqualTo("Patched");

        HttpResponse<String> saved = post(admin, console + "/connections/" + connection + "/settings", form + "&draft=" + draft.group(1));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        JsonNode c = call("GET", cs + "/connections/" + connection, null).body();
        assertThat(c.path("name").asText()).isEqualTo("Patched (renamed)");
        assertThat(c.path("prefix").asText()).as("set elsewhere, not changed here").isEqualTo("api_");

        // the next visit: every 6 hours from 02:00 in Berlin, previewed in that zone, saved, shown again, run by it
        String every6 = "&scheduleType=basic&basicUnits=6&basicTimeUnit=hours&basicStartTime=02%3A00&basicTimeZone="
                + enc("Europe/Berlin");
        String preview = post(admin, console + "/schedule/next-runs", "csrf-token=" + admin.csrf() + "&previewFor=settings"
                + every6).body();
        assertThat(preview).contains("Next runs (Europe/Berlin schedule)");
        assertThat(Pattern.compile("data-next-run").matcher(preview).results().count()).isEqualTo(3);
        page = HTTP.send(admin.apply(HttpRequest.newBuilder(URI.create(console + "/connections/" + connection
                + "/settings"))).build(), HttpResponse.BodyHandlers.ofString()).body();
        draft = Pattern.compile("name=\"draft\" value=\"([^\"]+)\"").matcher(page);
        assertThat(draft.find()).isTrue();
        saved = post(admin, console + "/connections/" + connection + "/settings", "csrf-token=" + admin.csrf() + "&draft="
                + draft.group(1) + "&name=" + enc("Patched (renamed)") + every6
                + "&namespaceDefinition=destination&prefix=api_&schemaChangePolicy=propagate_columns");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        JsonNode schedule = call("GET", cs + "/connections/" + connection, null).body().path("schedule");
        assertThat(schedule.path("basicStartTime").asText()).isEqualTo("02:00");
        assertThat(schedule.path("basicTimeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(HTTP.send(admin.apply(HttpRequest.newBuilder(URI.create(console + "/connections/" + connection
                + "/settings"))).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("name=\"basicStartTime\" value=\"02:00\"", "value=\"Europe/Berlin\"");
        String sync = stack.url(Service.SYNC);
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        JsonNode next = EndToEndTest.poll("sync-service runs the new schedule", Duration.ofSeconds(60),
                () -> call("GET", sync + "/connections/" + connection + "/next-runs", null).body(),
                n -> n.path("nextRuns").size() == 3);
        assertThat(next.path("nextRuns")).allSatisfy(r -> assertThat(java.time.Instant.parse(r.asText())
                .atZone(berlin).getHour()).isIn(2, 3, 8, 14, 20));
    }

    /** A sample-data source into a DuckDB file, connected under {@code name}, its schema discovered: the connection's id. */
    static String sampleIntoDuckDb(Stack stack, String prefix, int seed, String name) throws Exception {
        String cs = stack.url(Service.CONNECTION);
        String source = SyncEngineStackTest.created(call("POST", cs + "/sources", "{\"name\":\"" + prefix + " sample\","
                + "\"sourceType\":\"sample-data\",\"configuration\":{\"seed\":" + seed + ",\"rows\":5}}"), "sourceId");
        String destination = SyncEngineStackTest.created(call("POST", cs + "/destinations", "{\"name\":\"" + prefix + " lake\","
                + "\"destinationType\":\"duckdb\",\"configuration\":{\"path\":\"" + stack.dir().resolve("files/"
                + prefix.toLowerCase(java.util.Locale.ROOT) + ".duckdb").toAbsolutePath() + "\"}}"), "destinationId");
        String connection = SyncEngineStackTest.created(call("POST", cs + "/connections", "{\"sourceId\":\"" + source
                + "\",\"destinationId\":\"" + destination + "\",\"name\":\"" + name + "\"}"), "connectionId");
        EndToEndTest.discovered("schema discovered", cs + "/connections/" + connection + "/catalog", Duration.ofSeconds(90));
        return connection;
    }

    static HttpResponse<String> post(ConsoleSignIn who, String url, String form) throws Exception {
        return HTTP.send(who.apply(HttpRequest.newBuilder(URI.create(url))).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String destinationName(String cs, String connection) throws Exception {
        for (JsonNode s : call("GET", cs + "/connections/" + connection, null).body().path("streams")) {
            if (s.path("name").asText().equals("users")) {
                return s.path("destinationName").asText(null);
            }
        }
        return "(no users stream)";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
