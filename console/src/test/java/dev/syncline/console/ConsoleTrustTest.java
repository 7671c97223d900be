package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.testing.SecuredEndpoints;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's own trust: who may call a page is on the page's resource method (never its path), a form is accepted
 * only from this console's own pages and with the CSRF token of its own session, and sign-in sends a browser back
 * only to a path of this console. Runs on ConsoleWithoutServicesTest's app (nothing listens where the services
 * would be): every answer here comes before a service is asked.
 */
@QuarkusTest
@TestProfile(ConsoleWithoutServicesTest.NothingListening.class)
class ConsoleTrustTest {
    @jakarta.inject.Inject
    ConsoleSessions sessions;

    static String token() {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes())
                .substring(0, 22);
    }

    static RequestSpecification browser(String session, String csrf) {
        return RestAssured.given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, session)
                .cookie("syncline-csrf", csrf).header("X-CSRF-TOKEN", csrf);
    }

    @Test
    void everyPageMethodCarriesItsOwnSecurityAnnotation() {
        SecuredEndpoints.Result result = SecuredEndpoints.unsecured(ConsolePages.class);
        assertThat(result.resourceMethods()).isGreaterThan(30);
        assertThat(result.unsecured()).as("console resource methods without @Authenticated, @RolesAllowed or @PermitAll").isEmpty();
    }

    @Test
    void aCsrfTokenFromAnotherSessionIsRefused() {
        String mine = token();
        String theirs = token();
        String me = sessions.open(new ConsoleSessions.Session("syk_me", "k1", "me", "syk_me", "editor", mine));
        sessions.open(new ConsoleSessions.Session("syk_them", "k2", "them", "syk_them", "editor", theirs));
        String sync = "/connections/" + UUID.randomUUID() + "/sync";
        // my session with the other session's cookie and token pair: refused before anything runs
        browser(me, theirs).header("Origin", ConsoleWithoutServicesTest.origin()).post(sync).then().statusCode(400);
        // my own pair goes through (to a connection-service that is down: the page says so)
        String location = browser(me, mine).header("Origin", ConsoleWithoutServicesTest.origin()).post(sync).then()
                .statusCode(303).extract().header("Location");
        assertThat(java.net.URLDecoder.decode(location, java.nio.charset.StandardCharsets.UTF_8)).contains("is not answering");
    }

    @Test
    void aFormFromAnotherOriginOrFromNowhereIsRefused() {
        String csrf = token();
        String me = sessions.open(new ConsoleSessions.Session("syk_me", "k1", "me", "syk_me", "admin", csrf));
        String sync = "/connections/" + UUID.randomUUID() + "/sync";
        browser(me, csrf).header("Origin", "https://evil.example").post(sync).then().statusCode(403);
        browser(me, csrf).header("Origin", "http://localhost:1").post(sync).then().statusCode(403);
        browser(me, csrf).header("Origin", "null").post(sync).then().statusCode(403);
        browser(me, csrf).post(sync).then().statusCode(403); // neither Origin nor Referer
        browser(me, csrf).header("Referer", "https://evil.example/page").post(sync).then().statusCode(403);
        browser(me, csrf).header("Referer", ConsoleWithoutServicesTest.origin() + "/connections").post(sync).then().statusCode(303);
        // sign-in too: a login forged from another site is refused
        String token = RestAssured.given().get("/sign-in").getCookie("syncline-csrf");
        RestAssured.given().header("Origin", "https://evil.example").cookie("syncline-csrf", token).formParam("csrf-token", token)
                .formParam("key", "syk_attackers_key").post("/sign-in").then().statusCode(403);
        assertThat(ForgeryGuard.sameOrigin("https://console.example", "console.example", List.of())).isTrue();
        assertThat(ForgeryGuard.sameOrigin("https://console.example", "console.example:8443", List.of())).isFalse();
        assertThat(ForgeryGuard.sameOrigin("https://syncline.example", "10.0.0.5:8080", List.of("https://syncline.example"))).isTrue();
    }

    @Test
    void aViewerCannotChangeAnythingByAnotherSpellingOfThePath() {
        String csrf = token();
        String viewer = sessions.open(new ConsoleSessions.Session("syk_view", "k3", "viewer", "syk_view", "viewer", csrf));
        String id = UUID.randomUUID().toString();
        for (String path : List.of("/connections/" + id + "/sync", "/connections/" + id + "/sync;x=1", "/connections;/" + id + "/sync",
                "/connections/" + id + "/sync/", "//connections/" + id + "/sync", "/sign-out/../connections/" + id + "/sync",
                "/connections/" + id + "/%73ync", "/connections/" + id + "/schema/mapping/save",
                "/connections/" + id + "/schema/mapping/save;x=1", "/connections/" + id + "/schema/mapping")) {
            int status = browser(viewer, csrf).header("Origin", ConsoleWithoutServicesTest.origin()).post(path).then()
                    .extract().statusCode();
            assertThat(status).as("a viewer's POST " + path).isIn(403, 404, 405);
        }
        // and a browser that is not signed in reaches no page by another spelling either
        for (String path : List.of("/connections", "/q/../connections", "/sign-in/../connections", "/console.css/../connections",
                "/_static/..%2Fconnections", "/connections;", "/sign-in;/../connections", "/%63onnections")) {
            int status = RestAssured.given().redirects().follow(false).get(path).then().extract().statusCode();
            assertThat(status).as("GET " + path + " without signing in").isIn(303, 400, 404);
        }
    }

    @Test
    void signInSendsABrowserBackOnlyToAPathOfThisConsole() {
        for (String next : List.of("/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                "/%0d%0aSet-Cookie:x", "/ connections", "/é", "javascript:alert(1)", "", "/" + "a".repeat(3000))) {
            String local = SignInPage.local(next);
            assertThat(local).as(next).isEqualTo(next.equals("/%0d%0aSet-Cookie:x") ? next : "/connections");
            URI u = URI.create(local); // never throws: the redirect is always a valid same-origin path
            assertThat(u.getScheme()).isNull();
            assertThat(u.getRawAuthority()).isNull();
        }
        assertThat(SignInPage.local("/connections/42?tab=settings&q=a%20b")).isEqualTo("/connections/42?tab=settings&q=a%20b");
        // the sign-in page with such a next renders (200), and keeps only a path of this console
        String html = RestAssured.given().queryParam("next", "/\t/evil.example").get("/sign-in").then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("value=\"/connections\"").doesNotContain("evil.example");
    }
}
