package dev.syncline.stack;

import static dev.syncline.stack.EndToEndTest.call;
import static dev.syncline.stack.EndToEndTest.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The role table, walked: every operation of every service's OpenAPI document, called by each role (admin, editor,
 * viewer, the services' credential), without a key and with a revoked key, on its own path and on spellings of it that
 * a router may read as the same resource (matrix parameters, percent-encodings, dot segments, extra slashes). A role
 * the table refuses never gets an answer from the operation itself: 403 on its path, and on any other spelling a 403,
 * a 400, or "no resource" — never a 2xx, never the operation's own not-found. Calls carry unknown ids and empty bodies,
 * so the ones allowed change nothing on the shared stack.
 */
@ExtendWith(SharedStack.class)
class AuthorisationStackTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Service> SERVICES = List.of(Service.CONNECTION, Service.SCHEMA, Service.SYNC, Service.REJECTS);
    static Stack stack;

    /** Who calls: a role's key, no key at all, or a key revoked since. */
    record Caller(String name, String key) { }

    @BeforeAll
    static void start() {
        stack = SharedStack.stack();
    }

    /**
     * What the operation needs (the table): admin for API keys, any key for /me, reads for GET and for the schedule
     * preview (a POST that only computes), changes otherwise.
     */
    static Set<String> allowed(String method, String template) {
        if (template.equals("/api-keys") || template.startsWith("/api-keys/")) {
            return Set.of("admin");
        }
        if (template.equals("/me") || method.equals("GET") || template.equals("/schedules/next-runs")) {
            return Set.of("admin", "editor", "viewer", "service");
        }
        return Set.of("admin", "editor");
    }

    /** The operation's path, and spellings of it a router may resolve to the same resource. */
    static Map<String, String> spellings(String path) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("as documented", path);
        int second = path.indexOf('/', 1);
        String first = second < 0 ? path : path.substring(0, second);
        String rest = second < 0 ? "" : path.substring(second);
        v.put("matrix parameter", path + ";x=1");
        v.put("empty matrix parameter on the first segment", first + ";" + rest);
        v.put("trailing slash", path + "/");
        v.put("leading double slash", "/" + path);
        v.put("inner double slash", second < 0 ? path + "//" : first + "/" + rest);
        v.put("percent-encoded letter", "/%" + Integer.toHexString(path.charAt(1)) + path.substring(2));
        v.put("percent-encoded dot segment", "/x/%2e%2e/" + path.substring(1));
        v.put("percent-encoded slash", second < 0 ? path + "%2F" : first + "%2F" + rest.substring(1));
        return v;
    }

    static HttpResponse<String> send(String base, String method, String path, String key, boolean body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        b = body ? b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"))
                : b.method(method, HttpRequest.BodyPublishers.noBody());
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Why this answer breaks the table, or null when it keeps it. */
    static String broken(HttpResponse<String> r, Caller caller, boolean allowed, boolean asDocumented) {
        int s = r.statusCode();
        String type = r.headers().firstValue("content-type").orElse("");
        if (s >= 500) {
            return "answered " + s;
        }
        if (s >= 400 && !type.startsWith("application/problem+json")) {
            return "answered " + s + " as '" + type + "', not problem+json";
        }
        String detail = "";
        try {
            detail = s >= 400 ? JSON.readTree(r.body()).path("detail").asText("") : "";
        } catch (Exception e) {
            return "problem body is not JSON: " + r.body();
        }
        // answers that never came from the operation itself: routed nowhere, or refused before it ran
        boolean routedNowhere = (s == 404 && detail.startsWith("no resource at")) || (s == 405 && detail.startsWith("method not allowed"));
        boolean matrix = r.uri().getRawPath().contains(";");
        if (matrix) {
            return s == 400 && detail.contains("matrix parameters") ? null : "a matrix parameter answered " + s + ": " + r.body();
        }
        if (caller.key() == null) {
            return s == 401 || (!asDocumented && routedNowhere) ? null : "without a key answered " + s;
        }
        if (caller.name().equals("revoked")) {
            return s == 401 || s == 429 || (!asDocumented && routedNowhere) ? null : "a revoked key answered " + s;
        }
        if (allowed) {
            if (s == 401 || s == 403 || s == 429) {
                return "refused a role the table allows: " + s + " " + r.body();
            }
            return asDocumented && routedNowhere ? "the documented path routed nowhere: " + r.body() : null;
        }
        if (s == 403) {
            return null;
        }
        return !asDocumented && (routedNowhere || s == 400) ? null
                : "a role the table refuses got " + s + " (the operation ran?): " + r.body();
    }

    @Test
    void everyOperationOfEveryServiceKeepsTheRoleTableWhateverTheSpellingOfItsPath() throws Exception {
        String cs = stack.url(Service.CONNECTION);
        String editor = call("POST", cs + "/api-keys", "{\"name\":\"walk editor\",\"role\":\"editor\"}").body().path("key").asText();
        String viewer = call("POST", cs + "/api-keys", "{\"name\":\"walk viewer\",\"role\":\"viewer\"}").body().path("key").asText();
        JsonNode gone = call("POST", cs + "/api-keys", "{\"name\":\"walk revoked\",\"role\":\"admin\"}").body();
        String service = Files.readString(stack.dir().resolve("service.key")).trim();
        // every service knows the new keys (syncline.api-keys) before the walk, and the revoked one as revoked
        for (Service s : SERVICES) {
            for (String key : List.of(editor, viewer, gone.path("key").asText())) {
                poll(s + " knows a new key", Duration.ofSeconds(60), () -> IntNode.valueOf(send(stack.url(s), "GET",
                        readable(s), key, false).statusCode()), st -> st.asInt() != 401);
            }
        }
        call("DELETE", cs + "/api-keys/" + gone.path("keyId").asText(), null);
        for (Service s : SERVICES) {
            poll(s + " refuses the revoked key", Duration.ofSeconds(60), () -> IntNode.valueOf(send(stack.url(s), "GET",
                    readable(s), gone.path("key").asText(), false).statusCode()), st -> st.asInt() == 401);
        }
        List<Caller> callers = List.of(new Caller("admin", stack.adminKey()), new Caller("editor", editor),
                new Caller("viewer", viewer), new Caller("service", service), new Caller("no key", null),
                new Caller("revoked", gone.path("key").asText()));
        int keysBefore = call("GET", cs + "/api-keys", null).body().size();

        List<String> failures = new ArrayList<>();
        Map<String, Integer> operations = new LinkedHashMap<>();
        int requests = 0;
        for (Service s : SERVICES) {
            String base = stack.url(s);
            JsonNode doc = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            int count = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> p = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String method = op.getKey().toUpperCase();
                    if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                        continue;
                    }
                    count++;
                    String template = p.getKey();
                    boolean body = op.getValue().at("/requestBody/content/application~1json").isObject();
                    String path = template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
                    Set<String> allowed = allowed(method, template);
                    for (Map.Entry<String, String> spelling : spellings(path).entrySet()) {
                        for (Caller caller : callers) {
                            if (caller.name().equals("admin") && !spelling.getKey().equals("as documented")) {
                                continue; // admin may do everything: another spelling cannot escalate it
                            }
                            HttpResponse<String> r = send(base, method, spelling.getValue(), caller.key(), body);
                            requests++;
                            String why = broken(r, caller, allowed.contains(caller.name()), spelling.getKey().equals("as documented"));
                            if (why != null) {
                                failures.add(s.module() + " " + method + " " + spelling.getValue() + " (" + spelling.getKey()
                                        + ") as " + caller.name() + ": " + why);
                            }
                        }
                    }
                }
            }
            operations.put(s.module(), count);
        }
        System.out.printf("[authorisation] %s operations x %d callers x %d spellings: %d requests; %d break the role table%n",
                operations, callers.size(), spellings("/a/b").size(), requests, failures.size());
        failures.stream().limit(40).forEach(f -> System.out.println("[authorisation] " + f));
        assertThat(failures).as("answers that break the role table").isEmpty();
        assertThat(operations.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(40);
        // and no key was issued along the way (an editor asking for an admin key by any spelling)
        assertThat(call("GET", cs + "/api-keys", null).body().size()).isEqualTo(keysBefore);
    }

    /** A path every role may read on {@code s}. */
    static String readable(Service s) {
        return switch (s) {
            case CONNECTION -> "/me";
            case SCHEMA -> "/sources/" + UUID.randomUUID() + "/catalog";
            case SYNC -> "/jobs";
            case REJECTS -> "/rejected-records/counts";
            default -> throw new IllegalArgumentException(s.toString());
        };
    }
}
