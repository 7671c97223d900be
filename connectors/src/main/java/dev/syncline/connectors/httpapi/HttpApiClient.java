package dev.syncline.connectors.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.syncline.connectors.spi.ConnectorException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP side of the http-api destination: the base URL, the auth header, and retries with exponential backoff
 * (Failsafe) of requests the API answers 429 or 5xx or that fail to connect.
 */
final class HttpApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;
    private final String authHeader;
    private final String authToken;
    private final RetryPolicy<HttpResponse<String>> retry;

    private HttpApiClient(String baseUrl, String authHeader, String authToken, int maxRetries) {
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

    static HttpApiClient of(JsonNode config) throws ConnectorException {
        String base = config.path("base_url").asText("");
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "base_url: '" + base + "' is not an http(s) URL");
        }
        String token = config.path("auth_token").asText("");
        return new HttpApiClient(base, config.path("auth_header").asText("Authorization"), token.isEmpty() ? null : token,
                config.path("max_retries").asInt(5));
    }

    HttpResponse<String> get(String path) throws ConnectorException {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String json) throws ConnectorException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
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

    private HttpResponse<String> send(HttpRequest request) throws ConnectorException {
        try {
            return Failsafe.with(retry).get(() -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (FailsafeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, request.method() + " " + request.uri()
                    + " failed: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        }
    }
}
