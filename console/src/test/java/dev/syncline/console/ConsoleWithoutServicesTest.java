package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console with connection-service down (its URL is a free port nobody listens on): every page still renders,
 * with a banner naming the service and where it was looked for, never an error page. The stack's end-to-end test
 * shows the pages over the real services.
 */
@QuarkusTest
@TestProfile(ConsoleWithoutServicesTest.NothingListening.class)
class ConsoleWithoutServicesTest {
    static final int PORT = dev.syncline.infra.FreePorts.pick();
    /** A CSRF token as the console's filter makes them (16 random bytes, base64url): cookie and header carry it. */
    static final String CSRF = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    @jakarta.inject.Inject
    ConsoleSessions sessions;

    String session;

    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        // signed in as an editor (sign-in itself needs connection-service, which is down here)
        session = sessions.open(new ConsoleSessions.Session("syk_test", "k1", "test editor", "syk_test", "editor", CSRF));
    }

    /** A request from a signed-in browser: its session cookie, its CSRF token as htmx sends it, and its origin. */
    io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given().cookie(ConsoleSessions.COOKIE, session).cookie("syncline-csrf", CSRF)
                .header("X-CSRF-TOKEN", CSRF).header("Origin", origin());
    }

    /** This console's own origin, as a browser on its pages sends it with a form. */
    static String origin() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }

    @Test
    void aBrowserThatIsNotSignedInIsSentToSignInAndNothingElseIsServed() {
        io.restassured.RestAssured.given().redirects().follow(false).get("/connections?q=a").then().statusCode(303)
                .header("Location", "/sign-in?next=%2Fconnections%3Fq%3Da");
        io.restassured.RestAssured.given().header("HX-Request", "true").get("/connections/rows").then().statusCode(401)
                .header("HX-Redirect", "/sign-in");
        io.restassured.RestAssured.given().header("Origin", origin()).redirects().follow(false)
                .post("/connections/" + java.util.UUID.randomUUID() + "/sync").then().statusCode(401);
        io.restassured.RestAssured.given().cookie(ConsoleSessions.COOKIE, "forged").redirects().follow(false).get("/sources")
                .then().statusCode(303);
        String form = io.restassured.RestAssured.given().get("/sign-in").then().statusCode(200)
                .cookie("syncline-csrf", org.hamcrest.Matchers.notNullValue()).extract().asString();
        assertThat(form).contains("type=\"password\"", "name=\"csrf-token\"");
    }

    @Test
    void signingInWithConnectionServiceDownSaysSoAndAFormWithoutItsCsrfTokenIsRefused() {
        io.restassured.response.Response page = io.restassured.RestAssured.given().get("/sign-in");
        String token = page.getCookie("syncline-csrf");
        String html = io.restassured.RestAssured.given().header("Origin", origin()).cookie("syncline-csrf", token).formParam("csrf-token", token)
                .formParam("key", "syk_whatever").formParam("next", "https://evil.example/").post("/sign-in").then()
                .statusCode(503).extract().asString();
        assertThat(html).contains("role=\"alert\"", "connection-service is not answering", "value=\"/connections\"");
        // signed in, but no CSRF token: refused before anything runs
        io.restassured.RestAssured.given().header("Origin", origin()).cookie(ConsoleSessions.COOKIE, session).redirects().follow(false)
                .post("/connections/" + java.util.UUID.randomUUID() + "/sync").then().statusCode(400);
        io.restassured.RestAssured.given().header("Origin", origin()).cookie(ConsoleSessions.COOKIE, session).cookie("syncline-csrf", CSRF)
                .header("X-CSRF-TOKEN", "not-the-token").redirects().follow(false)
                .post("/connections/" + java.util.UUID.randomUUID() + "/sync").then().statusCode(400);
    }

    @Test
    void aViewerLooksButChangesNothing() {
        String viewer = sessions.open(new ConsoleSessions.Session("syk_view", "k2", "test viewer", "syk_view", "viewer", CSRF));
        io.restassured.RestAssured.given().cookie(ConsoleSessions.COOKIE, viewer).get("/connections").then().statusCode(200);
        io.restassured.RestAssured.given().header("Origin", origin()).cookie(ConsoleSessions.COOKIE, viewer).cookie("syncline-csrf", CSRF)
                .header("X-CSRF-TOKEN", CSRF).redirects().follow(false)
                .post("/connections/" + java.util.UUID.randomUUID() + "/sync").then().statusCode(403)
                .body(org.hamcrest.Matchers.containsString("viewer"));
    }

    @Test
    void failedSignInsAreRateLimitedPerAddress() throws Exception {
        String token = io.restassured.RestAssured.given().get("/sign-in").getCookie("syncline-csrf");
        int status = 400;
        int tries = 0;
        while (status == 400 && tries++ < 11) {
            status = io.restassured.RestAssured.given().header("Origin", origin()).cookie("syncline-csrf", token).formParam("csrf-token", token)
                    .formParam("key", "").post("/sign-in").then().extract().statusCode();
        }
        assertThat(status).isEqualTo(429);
        Thread.sleep(2500); // the test profile's window: 2 s
        io.restassured.RestAssured.given().header("Origin", origin()).cookie("syncline-csrf", token).formParam("csrf-token", token)
                .formParam("key", "").post("/sign-in").then().statusCode(400);
    }

    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.connection-service.url", "http://127.0.0.1:" + PORT,
                    "quarkus.rest-client.sync-service.url", "http://127.0.0.1:" + PORT,
                    "quarkus.rest-client.rejects-service.url", "http://127.0.0.1:" + PORT);
        }
    }

    @Test
    void theHomePageIsTheConnectionsList() {
        given().redirects().follow(false).when().get("/").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/connections"));
    }

    @Test
    void aServiceThatIsDownIsABannerNotAnErrorPage() {
        for (String page : new String[] {"/connections", "/sources", "/destinations"}) {
            String html = given().when().get(page).then().statusCode(200).contentType("text/html").extract().asString();
            assertThat(html).as(page).contains("role=\"alert\"", "connection-service is not answering at http://127.0.0.1:" + PORT)
                    .contains("<nav class=\"top\">").doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aConnectionPageWithItsServicesDownSaysSoAndItsButtonsSayWhyTheyDidNothing() {
        String id = java.util.UUID.randomUUID().toString();
        String html = given().when().get("/connections/" + id).then().statusCode(200).extract().asString();
        assertThat(html).contains("role=\"alert\"", "connection-service is not answering", "sync-service is not answering");
        String location = given().redirects().follow(false).when().post("/connections/" + id + "/sync").then().statusCode(303)
                .extract().header("Location");
        assertThat(java.net.URLDecoder.decode(location, java.nio.charset.StandardCharsets.UTF_8))
                .contains("/connections/" + id, "connection-service is not answering");
    }

    @Test
    void theRejectedRecordsTabWithRejectsServiceDownSaysSo() {
        String id = java.util.UUID.randomUUID().toString();
        String html = given().when().get("/connections/" + id + "/rejected?status=bogus&job=1;drop").then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("role=\"alert\"", "rejects-service is not answering at http://127.0.0.1:" + PORT);
        given().when().get("/connections/" + id + "/rejected/export?format=csv").then().statusCode(502)
                .body(org.hamcrest.Matchers.containsString("rejects-service is not answering"));
        given().when().get("/connections/not-a-uuid/rejected").then().statusCode(404);
    }

    @Test
    void aConnectionsOtherTabsWithTheServiceDownSaySo() {
        String id = java.util.UUID.randomUUID().toString();
        for (String tab : new String[] {"timeline", "schema", "settings", "jobs/7"}) {
            String html = given().when().get("/connections/" + id + "/" + tab).then().statusCode(200).extract().asString();
            assertThat(html).as(tab).contains("role=\"alert\"", "connection-service is not answering").doesNotContain("\tat ");
            given().when().get("/connections/not-a-uuid/" + tab).then().statusCode(404);
        }
        String html = given().when().get("/connections/new/mapping?sourceId=" + id + "&destinationId=" + id).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("role=\"alert\"", "connection-service is not answering");
        String location = given().redirects().follow(false).formParam("stream", "users").formParam("mode", "retain")
                .when().post("/connections/" + id + "/refresh").then().statusCode(303).extract().header("Location");
        assertThat(java.net.URLDecoder.decode(location, java.nio.charset.StandardCharsets.UTF_8)).contains("connection-service is not answering");
    }

    @Test
    void theNewConnectionFlowAndTheFormsWithTheServiceDownSaySo() {
        for (String page : new String[] {"/connections/new", "/sources/new", "/destinations/new?type=postgres",
                "/connections/new/schema?sourceId=" + java.util.UUID.randomUUID() + "&destinationId=" + java.util.UUID.randomUUID()}) {
            String html = given().when().get(page).then().statusCode(200).extract().asString();
            assertThat(html).as(page).contains("role=\"alert\"", "connection-service is not answering");
        }
        // no source or destination chosen: back to the first step
        given().redirects().follow(false).when().get("/connections/new/schema").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/connections/new"));
    }

    @Test
    void aConnectionIdThatIsNotOneIsNotFound() {
        String html = given().when().get("/connections/not-a-uuid").then().statusCode(404).extract().asString();
        assertThat(html).contains("There is no connection");
        given().when().post("/connections/not-a-uuid/sync").then().statusCode(404);
    }

    @Test
    void whatTheUserTypedIsEscaped() {
        String html = given().queryParam("q", "<script>alert(1)</script>").queryParam("status", "\"><img src=x>")
                .when().get("/connections").then().statusCode(200).extract().asString();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)", "<img src=x>");
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/_static/htmx.org/dist/htmx.min.js").then().statusCode(200);
        given().when().get("/console.css").then().statusCode(200);
    }
}
