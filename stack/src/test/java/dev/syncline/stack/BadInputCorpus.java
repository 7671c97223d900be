package dev.syncline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Bad input for every operation a service's OpenAPI document lists: ids that do not exist, are not ids, climb out of
 * their folder or carry SQL; bodies that are not JSON, the wrong JSON type, a field of the wrong type, no fields, an
 * unknown field, over the size limit, not UTF-8; query parameters of the wrong type. Each answer is recorded.
 */
final class BadInputCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One bad input sent, and what came back. */
    record Answer(String service, String method, String path, String input, int status, String contentType, String body,
                  String expectField) {
        /** 4xx problem+json that says what is wrong (and names the field it was about, when there was one). */
        String failure() {
            if (status < 400 || status >= 500) {
                return "answered " + status;
            }
            if (!contentType.startsWith("application/problem+json")) {
                return "answered " + status + " as '" + contentType + "', not problem+json";
            }
            try {
                JsonNode p = JSON.readTree(body);
                if (p.path("status").asInt() != status) {
                    return "problem status " + p.path("status") + " differs from " + status;
                }
                if (p.path("detail").asText("").isBlank() && p.path("errors").isEmpty()) {
                    return "problem says nothing: " + body;
                }
                if (expectField != null && !body.contains(expectField)) {
                    return "does not name the field " + expectField + ": " + body;
                }
            } catch (Exception e) {
                return "problem body is not JSON: " + body;
            }
            return null;
        }

        @Override
        public String toString() {
            return service + " " + method + " " + path + " [" + input + "]";
        }
    }

    private final String service;
    private final String baseUrl;
    private final String key;
    private final JsonNode doc;
    final List<Answer> answers = new ArrayList<>();
    int operations;

    BadInputCorpus(String service, String baseUrl, String key) throws Exception {
        this.service = service;
        this.baseUrl = baseUrl;
        this.key = key;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        this.doc = JSON.readTree(r.body());
    }

    /** Sends every bad input to every operation of the document. */
    BadInputCorpus run() throws Exception {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                operations++;
                operation(method, p.getKey(), op.getValue());
            }
        }
        return this;
    }

    private void operation(String method, String template, JsonNode op) throws Exception {
        boolean hasIds = template.contains("{");
        if (hasIds) {
            for (Map.Entry<String, String> id : Map.of(
                    "unknown id", UUID.randomUUID().toString(),
                    "not an id", "not-an-id",
                    "path traversal id", "../../../etc/passwd",
                    "SQL id", "1' OR '1'='1; DROP TABLE connection;--",
                    "script id", "<script>alert(1)</script>").entrySet()) {
                send(method, template, path(template, id.getValue()), id.getKey(), body(op) ? "{}" : null, null);
            }
        }
        String target = path(template, UUID.randomUUID().toString());
        if (body(op)) {
            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("malformed JSON", "{\"name\": ");
            bodies.put("array instead of object", "[1, 2]");
            bodies.put("string instead of object", "\"text\"");
            bodies.put("number instead of object", "42");
            bodies.put("null body", "null");
            bodies.put("unknown field", "{\"bogusField\": 1}");
            if (!hasIds) {
                bodies.put("no fields", "{}");
            }
            for (Map.Entry<String, String> b : bodies.entrySet()) {
                send(method, template, target, b.getKey(), b.getValue(),
                        b.getKey().equals("unknown field") && !hasIds ? "bogusField" : null);
            }
            JsonNode schema = resolve(op.at("/requestBody/content/application~1json/schema"));
            for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext(); ) {
                Map.Entry<String, JsonNode> prop = props.next();
                String wrong = wrongValue(resolve(prop.getValue()));
                send(method, template, target, "wrong type for " + prop.getKey(),
                        "{\"" + prop.getKey() + "\": " + wrong + "}", hasIds ? null : prop.getKey());
            }
            send(method, template, target, "body over the size limit", "{\"name\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}",
                    null);
            sendBytes(method, template, target, "invalid UTF-8",
                    new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'}, null);
        }
        for (JsonNode param : op.path("parameters")) {
            if (!"query".equals(param.path("in").asText())) {
                continue;
            }
            String wrong = wrongQuery(resolve(param.path("schema")));
            if (wrong != null) {
                String name = param.path("name").asText();
                send(method, template, target + "?" + name + "=" + URLEncoder.encode(wrong, StandardCharsets.UTF_8),
                        "query " + name + "=" + wrong, body(op) ? "{}" : null, name);
            }
        }
    }

    private static boolean body(JsonNode op) {
        return op.at("/requestBody/content/application~1json").isObject();
    }

    private JsonNode resolve(JsonNode schema) {
        if (schema.has("$ref")) {
            return resolve(doc.at(schema.path("$ref").asText().substring(1)));
        }
        if (schema.has("allOf") && schema.path("allOf").size() == 1) {
            return resolve(schema.path("allOf").get(0));
        }
        return schema;
    }

    private static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) { // OpenAPI 3.1: ["string", "null"]
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
        }
        return t.asText("object");
    }

    /** A JSON value Jackson cannot read as {@code schema}'s type (it reads numbers as strings, "true" as true). */
    private static String wrongValue(JsonNode schema) {
        return switch (type(schema)) {
            case "string", "boolean" -> "{\"not\": \"a scalar\"}";
            case "integer", "number" -> "\"not-a-number\"";
            case "array" -> "{\"not\": \"an array\"}";
            default -> "[\"not an object\"]";
        };
    }

    /** A query value of the wrong type, or null when any text is a valid value. */
    private static String wrongQuery(JsonNode schema) {
        if (schema.has("enum")) {
            return "not-a-value";
        }
        return switch (type(schema)) {
            case "integer", "number" -> "not-a-number";
            case "boolean" -> "maybe";
            case "string" -> "uuid".equals(schema.path("format").asText()) ? "not-a-uuid"
                    : "date-time".equals(schema.path("format").asText()) ? "not-a-time" : null;
            default -> null;
        };
    }

    private static String path(String template, String value) {
        return template.replaceAll("\\{[^}]+}", URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private void send(String method, String template, String path, String input, String body, String expectField)
            throws Exception {
        sendBytes(method, template, path, input, body == null ? null : body.getBytes(StandardCharsets.UTF_8), expectField);
    }

    private void sendBytes(String method, String template, String path, String input, byte[] body, String expectField)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<String> r;
        try {
            r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            answers.add(new Answer(service, method, template, input, 0, "", "no answer: " + e, null));
            return;
        }
        answers.add(new Answer(service, method, template, input, r.statusCode(),
                r.headers().firstValue("content-type").orElse(""), r.body(), expectField));
    }
}
