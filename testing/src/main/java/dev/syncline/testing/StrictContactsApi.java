package dev.syncline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A small JSON-over-HTTP API with one strict object, contacts (id integer, email required and valid and unique, name
 * required at most 40 characters, age integer), for testing the http-api destination: it validates every record
 * itself, answers a result per record, wants a bearer token, and can be told to answer 429 or 503 a few times.
 * Listens on a free loopback port; {@link #close()} stops it.
 */
public final class StrictContactsApi implements AutoCloseable {
    public static final String TOKEN = "Bearer test-token-0f3a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final HttpServer server;
    private final Map<Long, JsonNode> contacts = new ConcurrentHashMap<>();
    private final Map<String, Long> emails = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failureStatus = 503;

    private StrictContactsApi(HttpServer server) {
        this.server = server;
    }

    public static StrictContactsApi start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        StrictContactsApi api = new StrictContactsApi(s);
        s.createContext("/", api::handle);
        s.setExecutor(Executors.newFixedThreadPool(2));
        s.start();
        return api;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code times} requests are answered {@code status} (429 or 5xx). */
    public void failNext(int times, int status) {
        failureStatus = status;
        failures.set(times);
    }

    public Map<Long, JsonNode> contacts() {
        return contacts;
    }

    public int requests() {
        return requests.get();
    }

    /** The http-api destination's configuration for this API. */
    public String destinationConfig() {
        return "{\"base_url\":\"" + baseUrl() + "\",\"auth_header\":\"Authorization\",\"auth_token\":\"" + TOKEN + "\","
                + "\"batch_size\":200,\"objects\":{\"contacts\":{\"schema\":{\"type\":\"object\",\"required\":[\"id\",\"email\",\"name\"],"
                + "\"properties\":{\"id\":{\"type\":\"integer\"},\"email\":{\"type\":\"string\",\"format\":\"email\"},"
                + "\"name\":{\"type\":\"string\",\"maxLength\":40},\"age\":{\"type\":[\"integer\",\"null\"]}}},"
                + "\"matching_keys\":[[\"id\"]],\"endpoints\":{\"insert\":\"/contacts/insert\",\"upsert\":\"/contacts/upsert\"}}}}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            if (!TOKEN.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, failureStatus, "{\"error\":\"try again later\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET") && path.equals("/")) {
                reply(ex, 200, "{\"ok\":true}");
                return;
            }
            boolean upsert = path.equals("/contacts/upsert");
            if (!ex.getRequestMethod().equals("POST") || !(upsert || path.equals("/contacts/insert"))) {
                reply(ex, 404, "{\"error\":\"no such endpoint\"}");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(ex.getRequestBody().readAllBytes());
            } catch (IOException e) {
                reply(ex, 400, "{\"error\":\"not JSON\"}");
                return;
            }
            if (!body.path("records").isArray()) {
                reply(ex, 422, "{\"error\":\"records must be an array\"}");
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            synchronized (this) {
                for (JsonNode r : body.path("records")) {
                    results.add(apply(r, upsert));
                }
            }
            reply(ex, 200, JSON.writeValueAsString(out));
        }
    }

    private ObjectNode apply(JsonNode r, boolean upsert) {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode errors = JSON.createArrayNode();
        if (!r.path("id").isIntegralNumber()) {
            errors.add(error("id", "MISSING_REQUIRED", "id is required and must be an integer"));
        }
        String email = r.path("email").isTextual() ? r.path("email").asText() : null;
        if (email == null) {
            errors.add(error("email", "MISSING_REQUIRED", "email is required"));
        } else if (!EMAIL.matcher(email).matches()) {
            errors.add(error("email", "INVALID_FORMAT", "'" + email + "' is not an email address"));
        }
        String name = r.path("name").isTextual() ? r.path("name").asText() : null;
        if (name == null) {
            errors.add(error("name", "MISSING_REQUIRED", "name is required"));
        } else if (name.length() > 40) {
            errors.add(error("name", "TOO_LONG", "name is longer than 40 characters"));
        }
        if (!r.path("age").isMissingNode() && !r.path("age").isNull() && !r.path("age").isIntegralNumber()) {
            errors.add(error("age", "TYPE_MISMATCH", "age must be an integer"));
        }
        if (errors.isEmpty()) {
            long id = r.path("id").asLong();
            Long owner = emails.get(email);
            if (owner != null && owner != id) {
                errors.add(error("email", "CONSTRAINT_VIOLATION", "email " + email + " belongs to contact " + owner));
            } else if (!upsert && contacts.containsKey(id)) {
                errors.add(error("id", "CONSTRAINT_VIOLATION", "contact " + id + " exists already"));
            } else {
                JsonNode previous = contacts.put(id, r);
                if (previous != null && previous.path("email").isTextual()) {
                    emails.remove(previous.path("email").asText());
                }
                emails.put(email, id);
            }
        }
        if (errors.isEmpty()) {
            result.put("ok", true);
        } else {
            result.put("ok", false);
            result.set("errors", errors);
        }
        return result;
    }

    private static ObjectNode error(String field, String code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("field", field);
        e.put("code", code);
        e.put("message", message);
        return e;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
