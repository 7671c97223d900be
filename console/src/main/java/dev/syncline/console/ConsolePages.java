package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The console's pages, rendered on the server from the services' REST APIs (Qute escapes every value it prints).
 * A service that does not answer turns into a banner on the page, never an error page.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConsolePages {

    /** A connection as the list shows it. */
    public record ConnectionRow(String id, String name, String status, String source, String destination,
                                String schedule, List<TagView> tags, String lastSyncStatus, String lastSyncAt) { }

    /** A tag as pages show it: its name on its colour. */
    public record TagView(String id, String name, String color) { }

    /** A tag in a form: ticked or not. */
    public record TagChoice(String id, String name, String color, boolean checked) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance connections(List<ConnectionRow> connections, String q, String status,
                                                   List<TagChoice> tags, String tag, String next, String error,
                                                   String flash);

    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    @Inject
    @RestClient
    SyncServiceClient syncService;

    @GET
    @Authenticated
    public Response home() {
        return Response.seeOther(URI.create("/connections")).build();
    }

    @GET
    @Authenticated
    @Path("connections")
    public TemplateInstance connections(@QueryParam("q") String q, @QueryParam("status") String status,
                                        @QueryParam("tag") String tag, @QueryParam("cursor") String cursor,
                                        @QueryParam("flash") String flash) {
        String query = q == null ? "" : q.trim();
        String wanted = ConnectionStatus.fromWire(status).map(ConnectionStatus::wireName).orElse("");
        List<ConnectionRow> rows = new ArrayList<>();
        String next = null;
        String error = null;
        String tagId = isUuid(tag) ? tag : "";
        List<TagChoice> tagChoices = List.of();
        try {
            JsonNode allTags = connectionService.tags();
            Map<String, TagView> tags = tags(allTags);
            tagChoices = new ArrayList<>();
            for (TagView t : tags.values()) {
                tagChoices.add(new TagChoice(t.id(), t.name(), t.color(), t.id().equals(tagId)));
            }
            Map<String, String> names = new HashMap<>();
            connectionService.sources().forEach(s -> names.put(s.path("sourceId").asText(), s.path("name").asText()));
            connectionService.destinations().forEach(d -> names.put(d.path("destinationId").asText(), d.path("name").asText()));
            Map<String, JsonNode> lastJob = new HashMap<>();
            try {
                for (JsonNode j : syncService.allJobs(500)) { // newest first: the first of each connection is its last
                    lastJob.putIfAbsent(j.path("connectionId").asText(), j);
                }
            } catch (RuntimeException e) {
                error = unreachable("sync-service", services.syncService().url(), e);
            }
            JsonNode page = connectionService.connections(wanted.isEmpty() ? null : wanted, tagId.isEmpty() ? null : tagId,
                    500, cursor);
            for (JsonNode c : page.path("data")) {
                String name = c.path("name").asText();
                if (!query.isEmpty() && !name.toLowerCase(Locale.ROOT).contains(query.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                rows.add(new ConnectionRow(c.path("connectionId").asText(), name, c.path("status").asText(),
                        names.getOrDefault(c.path("sourceId").asText(), c.path("sourceId").asText()),
                        names.getOrDefault(c.path("destinationId").asText(), c.path("destinationId").asText()),
                        schedule(c.path("schedule")), tagViews(c.path("tags"), tags),
                        lastJob.containsKey(c.path("connectionId").asText())
                                ? lastJob.get(c.path("connectionId").asText()).path("status").asText() : "",
                        lastJob.containsKey(c.path("connectionId").asText()) ? ConnectionPage.time(lastJob.get(c.path("connectionId")
                                .asText()).path("endedAt").asText(lastJob.get(c.path("connectionId").asText()).path("createdAt").asText(""))) : ""));
            }
            next = page.path("next").isTextual() ? page.path("next").asText() : null;
        } catch (RuntimeException e) {
            error = unreachable("connection-service", services.connectionService().url(), e);
        }
        return Templates.connections(rows, query, wanted, tagChoices, tagId, next, error, flash);
    }

    /** Every tag by id, from GET /tags. */
    static Map<String, TagView> tags(JsonNode tags) {
        Map<String, TagView> out = new java.util.LinkedHashMap<>();
        for (JsonNode t : tags) {
            out.put(t.path("tagId").asText(), new TagView(t.path("tagId").asText(), t.path("name").asText(),
                    t.path("color").asText("#888888")));
        }
        return out;
    }

    /** A connection's tag ids as tags with their names and colours. */
    static List<TagView> tagViews(JsonNode ids, Map<String, TagView> tags) {
        List<TagView> out = new ArrayList<>();
        ids.forEach(id -> out.add(tags.getOrDefault(id.asText(), new TagView(id.asText(), id.asText(), "#888888"))));
        return out;
    }

    /** The tags a Configure connection form offers, ticked as {@code form} has them. */
    static List<TagChoice> tagChoices(JsonNode tags, jakarta.ws.rs.core.MultivaluedMap<String, String> form) {
        List<String> ticked = form == null || form.get("tag") == null ? List.of() : form.get("tag");
        List<TagChoice> out = new ArrayList<>();
        tags(tags).values().forEach(t -> out.add(new TagChoice(t.id(), t.name(), t.color(), ticked.contains(t.id()))));
        return out;
    }

    /**
     * A 303 to {@code path} (its ids already checked and in it) with these query parameters, each encoded as data:
     * JAX-RS' UriBuilder would read a "{...}" in a flash (a name, an API's message) as a template and fail.
     */
    static jakarta.ws.rs.core.Response redirect(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() != null) {
                uri.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
                separator = '&';
            }
        }
        return jakarta.ws.rs.core.Response.seeOther(URI.create(uri.toString())).build();
    }

    /** A 303 to {@code path} showing {@code flash} there. */
    static jakarta.ws.rs.core.Response redirect(String path, String flash) {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("flash", flash);
        return redirect(path, query);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8); // a space as "+", as UriBuilder did
    }

    /** Whether {@code s} is a UUID: every id the services hand out is one, so anything else is not found. */
    static boolean isUuid(String s) {
        if (s == null) {
            return false;
        }
        try {
            java.util.UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The name of the source or destination {@code id} in {@code list} (its id when it is not there). */
    static String name(JsonNode list, String idField, String id) {
        for (JsonNode a : list) {
            if (a.path(idField).asText().equals(id)) {
                return a.path("name").asText();
            }
        }
        return id;
    }

    /** How often it syncs, in the words of the connection settings. */
    static String schedule(JsonNode s) {
        return switch (s.path("scheduleType").asText("manual")) {
            case "basic" -> "every " + s.path("basicUnits").asLong() + " " + s.path("basicTimeUnit").asText()
                    + (s.hasNonNull("basicStartTime") ? " from " + s.path("basicStartTime").asText() + " ("
                    + s.path("basicTimeZone").asText("UTC") + ")" : "");
            case "cron" -> "cron " + s.path("cronExpression").asText() + " (" + s.path("cronTimeZone").asText("UTC") + ")";
            default -> "manual";
        };
    }

    /** The banner's words for a service that did not answer, or answered with an error. */
    static String unreachable(String service, String url, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            why = "it answered " + w.getResponse().getStatus();
        }
        return service + " is not answering at " + url + " (" + why + "). The page shows what it can and comes back "
                + "when the service does.";
    }
}
