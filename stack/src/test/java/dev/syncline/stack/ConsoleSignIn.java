package dev.syncline.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser signed in to the console, for tests that read its pages without Selenium: the sign-in form posted with
 * an API key, then its session cookie, CSRF token and origin on every request (as htmx in a browser sends them).
 */
record ConsoleSignIn(String cookie, String csrf, String origin) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static ConsoleSignIn of(String console, String key) throws IOException, InterruptedException {
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(console + "/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csrf = cookie(form, "syncline-csrf");
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(console + "/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "syncline-csrf=" + csrf)
                .header("Origin", console)
                .POST(HttpRequest.BodyPublishers.ofString("csrf-token=" + csrf + "&next=%2Fconnections&key="
                        + URLEncoder.encode(key, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("sign-in answered " + signedIn.statusCode() + ": " + signedIn.body());
        }
        return new ConsoleSignIn("syncline-csrf=" + csrf + "; syncline_session=" + cookie(signedIn, "syncline_session"), csrf,
                console);
    }

    private static String cookie(HttpResponse<?> r, String name) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "=([^;]*)");
        for (String h : r.headers().allValues("set-cookie")) {
            Matcher m = p.matcher(h);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("no " + name + " cookie in " + r.headers().map());
    }

    /** The request as this browser sends it. */
    HttpRequest.Builder apply(HttpRequest.Builder b) {
        return b.header("Cookie", cookie).header("X-CSRF-TOKEN", csrf).header("Origin", origin);
    }
}
