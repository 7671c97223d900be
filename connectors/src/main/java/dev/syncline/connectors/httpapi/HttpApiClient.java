package dev.syncline.connectors.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConnectorException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP side of the http-api destination: the base URL, the auth header, and retries with exponential backoff
 * (Failsafe) of requests the API answers 429 or 5xx or that fail to connect. Every request's host and port are checked
 * by the guard just before it is sent (never Syncline's own addresses), and a redirect is never followed: it is an
 * answer like any other, so it cannot lead a request to an address that was not checked.
 */
final class HttpApiClient {
    // the client resolves the name again when it connects: within the JVM's positive DNS cache (30 s by default) it gets
    // the answer the guard checked
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final ConnectorReach reach;
    private final String baseUrl;
    private final String authHeader;
    private final String authToken;
    private final RetryPolicy<HttpResponse<String>> retry;
    /** Told of every attempt (a sync's request inspector); none by default. */
    private java.util.function.Consumer<dev.syncline.connectors.spi.HttpExchange> observer = e -> { };

    private HttpApiClient(ConnectorReach reach, String baseUrl, String authHeader, String authToken, int maxRetries) {
        this.reach = reach;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authHeader = authHeader;
        this.authToken = authToken;
        this.retry = RetryPolicy.<HttpResponse<String>>builder()
                .handleResultIf(r -> r.statusCode() == 429 || r.statusCode() >= 500)
                .handle(IOException.class)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(30))
                .withMaxRetries(maxRetries)
                .build();
    }

    static HttpApiClient of(JsonNode config, ConnectorReach reach) throws ConnectorException {
        return of(ConfigSchema.read(config, HttpApiSettings.Api.class), reach);
    }

    static HttpApiClient of(HttpApiSettings.Api api, ConnectorReach reach) throws ConnectorException {
        return new HttpApiClient(reach, baseUrl(api), api.authHeader(), api.authToken(), api.maxRetries());
    }

    static String baseUrl(HttpApiSettings.Api api) throws ConnectorException {
        String base = api.baseUrl();
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "base_url: '" + base + "' is not an http(s) URL");
        }
        return base;
    }

    private void observe(HttpRequest request, String body, java.time.Instant at, long start, HttpResponse<String> answer,
                         String error) {
        try {
            observer.accept(new dev.syncline.connectors.spi.HttpExchange(at, request.method(),
                    dev.syncline.connectors.spi.HttpExchange.redactUrl(request.uri().toString()),
                    dev.syncline.connectors.spi.HttpExchange.redactHeaders(request.headers().map(), authHeader),
                    dev.syncline.connectors.spi.HttpExchange.cut(body), answer == null ? null : answer.statusCode(),
                    answer == null ? java.util.Map.of() : dev.syncline.connectors.spi.HttpExchange.redactHeaders(
                            answer.headers().map(), authHeader),
                    answer == null ? null : dev.syncline.connectors.spi.HttpExchange.cut(answer.body()),
                    (System.nanoTime() - start) / 1_000_000, error));
        } catch (RuntimeException ignored) {
            // the inspector is for the user's eyes: it never fails a request
        }
    }

    /** Refuses a URL whose host and port are Syncline's own (or that has no host). */
    static void checkReach(URI uri, ConnectorReach reach) throws ConnectorException {
        if (uri.getHost() == null) {
            throw new ReachRefused(ReachRefused.Part.ADDRESS, "'" + uri + "' has no host name a request can go to");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        reach.address(uri.getHost(), port);
    }

    /** Tells {@code observer} of every request sent and its answer, redacted (the auth header never shown). */
    HttpApiClient observed(java.util.function.Consumer<dev.syncline.connectors.spi.HttpExchange> observer) {
        this.observer = observer;
        return this;
    }

    HttpResponse<String> get(String path) throws ConnectorException {
        return send(request(path).GET().build(), null);
    }

    HttpResponse<String> post(String path, String json) throws ConnectorException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), json);
    }

    private HttpRequest.Builder request(String path) throws ConnectorException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + (path.startsWith("/") ? path : "/" + path)))
                    .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
            return authToken == null ? b : b.header(authHeader, authToken);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "not a valid URL: " + baseUrl + path);
        }
    }

    private HttpResponse<String> send(HttpRequest request, String body) throws ConnectorException {
        try {
            return Failsafe.with(retry).get(() -> {
                try {
                    checkReach(request.uri(), reach); // each attempt: a name may resolve elsewhere by now
                } catch (ReachRefused refused) {
                    throw refused;
                } catch (ConnectorException unresolved) {
                    // a name that does not resolve (yet): the client fails to connect, and that is retried as before
                }
                java.time.Instant at = java.time.Instant.now();
                long start = System.nanoTime();
                try {
                    HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    observe(request, body, at, start, answer, null);
                    return answer;
                } catch (java.io.IOException | RuntimeException e) {
                    observe(request, body, at, start, null, e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                            : ": " + e.getMessage()));
                    throw e;
                }
            });
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ReachRefused refused) {
                throw refused;
            }
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, request.method() + " " + request.uri()
                    + " failed: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
    }
}
