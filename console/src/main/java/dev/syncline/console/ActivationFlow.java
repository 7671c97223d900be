package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * "New connection", data activation branch: per source stream the destination object it goes to, then the object's
 * fields row by row, each mapped from a source field (nested ones too), with the insertion method, its matching key,
 * the sync mode and the cursor. Required and matching-key fields are marked and pre-filled from the source field of the
 * same name; "Set up connection" stays disabled, with the list of what is missing, until every one is mapped. Each
 * change re-renders the mapping from the server (htmx), so what is missing is decided by one piece of code.
 */
@Path("/connections/new/mapping")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ActivationFlow {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern ROW = java.util.regex.Pattern.compile("m(\\d{1,6})\\.stream");

    public record Option(String value, String label, boolean selected) { }

    /** One field of the destination object: what it is and which source field it is mapped from. */
    public record FieldRow(String name, String type, boolean required, boolean key, List<Option> sources, boolean mapped,
                           String limits, String format) { }

    /** One source stream: the object it goes to (none: not synced) and, when it has one, how. */
    public record StreamMapping(int index, String namespace, String stream, List<Option> objects, String object,
                                List<Option> methods, boolean keyRequired, List<Option> keys, List<Option> modes,
                                List<Option> cursors, List<FieldRow> fields) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance mapping(String sourceId, String destinationId, String status, String message,
                                               List<StreamMapping> streams, List<String> missing, String name,
                                               List<ConsolePages.TagChoice> tags, Map<String, String> errors, String error,
                                               NewConnectionFlow.Typed typed);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    /** The first view: every stream unmapped but the first, which goes to the object of the closest name. */
    @GET
    @Authenticated
    public Response page(@QueryParam("sourceId") String sourceId, @QueryParam("destinationId") String destinationId) {
        return render(sourceId, destinationId, null, Map.of(), 200);
    }

    /** A change in the form: the same page, re-rendered with what the user chose so far. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(MultivaluedMap<String, String> form) {
        return render(form.getFirst("sourceId"), form.getFirst("destinationId"), form, Map.of(), 200);
    }

    /** Set up connection: POST /connections with the mappings; the service checks them again and says what is wrong. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("create")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> form) {
        String sourceId = form.getFirst("sourceId");
        String destinationId = form.getFirst("destinationId");
        JsonNode source;
        JsonNode objects;
        try {
            source = connectionService.sourceCatalog(sourceId).path("catalog");
            objects = connectionService.destinationObjects(destinationId).path("objects");
        } catch (RuntimeException e) {
            return render(sourceId, destinationId, form, Map.of(), 200);
        }
        List<StreamMapping> streams = streams(source, objects, form);
        ObjectNode body = JSON.createObjectNode().put("sourceId", sourceId).put("destinationId", destinationId);
        if (!blank(form.getFirst("name"))) {
            body.put("name", form.getFirst("name").trim());
        }
        body.set("schedule", NewConnectionFlow.schedule(form));
        ArrayNode tags = NewConnectionFlow.tickedTags(form);
        if (!tags.isEmpty()) {
            body.set("tags", tags);
        }
        body.set("mappings", mappingRequests(streams));
        try {
            JsonNode created = connectionService.createConnection(body);
            return NewConnectionFlow.setUp(connectionService, created.path("connectionId").asText(), tags, form);
        } catch (WebApplicationException e) {
            return render(sourceId, destinationId, form, Problems.of(e).errorsOrDetail(), 400);
        } catch (RuntimeException e) {
            return Response.ok(mappingPage(sourceId, destinationId, "unknown", "", List.of(), List.of(), "", List.of(),
                    Map.of(), ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    /** The mappings as POST /connections and PATCH take them: each stream sent to an object, with its field pairs. */
    static ArrayNode mappingRequests(List<StreamMapping> streams) {
        ArrayNode mappings = JSON.createArrayNode();
        for (StreamMapping s : streams) {
            if (s.object() == null) {
                continue;
            }
            ObjectNode m = mappings.addObject().put("stream", s.stream()).put("destinationObject", s.object());
            if (!s.namespace().isEmpty()) {
                m.put("namespace", s.namespace());
            }
            selected(s.methods()).ifPresent(v -> m.put("insertionMethod", v));
            selected(s.keys()).filter(v -> !v.isEmpty()).ifPresent(v -> {
                ArrayNode key = m.putArray("matchingKey");
                List.of(v.split(",")).forEach(key::add);
            });
            selected(s.modes()).ifPresent(v -> m.put("syncMode", v));
            selected(s.cursors()).filter(v -> !v.isEmpty()).ifPresent(v -> m.putArray("cursorField").add(v));
            ArrayNode fields = m.putArray("fields");
            for (FieldRow f : s.fields()) {
                selected(f.sources()).filter(v -> !v.isEmpty()).ifPresent(v -> {
                    ObjectNode fm = fields.addObject().put("destination", f.name());
                    ArrayNode path = fm.putArray("source");
                    List.of(v.split("\\.")).forEach(path::add);
                    String format = f.format();
                    if (format != null) {
                        fm.put("format", format);
                    }
                });
            }
        }
        return mappings;
    }

    /**
     * A saved connection's mappings as the mapping form holds them: per source stream (in the catalog's order) its
     * object, method, key, mode, cursor and field pairs, so that the same page shows and edits them.
     */
    static MultivaluedMap<String, String> formOf(JsonNode source, JsonNode mappings) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        int i = 0;
        for (JsonNode s : source.path("streams")) {
            String k = "m" + i + ".";
            form.putSingle(k + "stream", s.path("name").asText());
            form.putSingle(k + "namespace", s.path("namespace").asText(""));
            for (JsonNode m : mappings) {
                if (!m.path("stream").asText().equals(s.path("name").asText())
                        || !m.path("namespace").asText("").equals(s.path("namespace").asText(""))) {
                    continue;
                }
                String object = m.path("destinationObject").asText();
                form.putSingle(k + "object", object);
                form.putSingle(k + "shown", object);
                form.putSingle(k + "method", m.path("insertionMethod").asText());
                List<String> key = new ArrayList<>();
                m.path("matchingKey").forEach(v -> key.add(v.asText()));
                form.putSingle(k + "key", String.join(",", key));
                form.putSingle(k + "mode", m.path("syncMode").asText());
                form.putSingle(k + "cursor", m.path("cursorField").path(0).asText(""));
                for (JsonNode f : m.path("fields")) {
                    List<String> path = new ArrayList<>();
                    f.path("source").forEach(v -> path.add(v.asText()));
                    form.putSingle(k + "f." + f.path("destination").asText(), String.join(".", path));
                    if (f.path("format").isTextual()) {
                        form.putSingle(k + "fmt." + f.path("destination").asText(), f.path("format").asText());
                    }
                }
            }
            i++;
        }
        return form;
    }

    private Response render(String sourceId, String destinationId, MultivaluedMap<String, String> form,
                            Map<String, String> errors, int status) {
        if (!ConsolePages.isUuid(sourceId) || !ConsolePages.isUuid(destinationId)) {
            return Response.seeOther(URI.create("/connections/new")).build();
        }
        try {
            JsonNode source = connectionService.sourceCatalog(sourceId);
            JsonNode objects = connectionService.destinationObjects(destinationId);
            for (JsonNode c : List.of(source, objects)) {
                String s = c.path("status").asText("pending");
                if (!s.equals("discovered")) {
                    return Response.ok(mappingPage(sourceId, destinationId, s, c.path("message").asText(""), List.of(),
                            List.of(), "", List.of(), Map.of(), null)).build();
                }
            }
            List<StreamMapping> streams = streams(source.path("catalog"), objects.path("objects"), form);
            String name = form != null && form.getFirst("name") != null ? form.getFirst("name")
                    : ConsolePages.name(connectionService.sources(), "sourceId", sourceId) + " → "
                    + ConsolePages.name(connectionService.destinations(), "destinationId", destinationId);
            return Response.status(status).entity(Templates.mapping(sourceId, destinationId, "discovered", "", streams,
                    missing(streams), name, ConsolePages.tagChoices(connectionService.tags(), form), errors, null,
                    NewConnectionFlow.Typed.of(form))).build();
        } catch (WebApplicationException e) {
            return Response.ok(mappingPage(sourceId, destinationId, "failed", Problems.of(e).detail(), List.of(),
                    List.of(), "", List.of(), Map.of(), null)).build();
        } catch (RuntimeException e) {
            return Response.ok(mappingPage(sourceId, destinationId, "unknown", "", List.of(), List.of(), "", List.of(),
                    Map.of(), ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    /** The mapping step's page with a new setup's Configure section. */
    static TemplateInstance mappingPage(String sourceId, String destinationId, String status, String message,
                                        List<StreamMapping> streams, List<String> missing, String name,
                                        List<ConsolePages.TagChoice> tags, Map<String, String> errors, String error) {
        return Templates.mapping(sourceId, destinationId, status, message, streams, missing, name, tags, errors, error,
                NewConnectionFlow.Typed.DEFAULTS);
    }

    /** What keeps "Set up connection" disabled: no stream mapped, or a required or matching-key field not mapped. */
    static List<String> missing(List<StreamMapping> streams) {
        List<String> missing = new ArrayList<>();
        if (streams.stream().allMatch(s -> s.object() == null)) {
            missing.add("Pick the destination object of at least one stream.");
        }
        for (StreamMapping s : streams) {
            if (s.object() == null) {
                continue;
            }
            if (s.keyRequired() && selected(s.keys()).filter(v -> !v.isEmpty()).isEmpty()) {
                missing.add(s.stream() + " → " + s.object() + ": pick the matching key.");
            }
            for (FieldRow f : s.fields()) {
                if (!f.mapped() && f.key()) {
                    missing.add(s.stream() + " → " + s.object() + ": map the matching key field " + f.name() + ".");
                } else if (!f.mapped() && f.required()) {
                    missing.add(s.stream() + " → " + s.object() + ": map the required field " + f.name() + ".");
                }
            }
        }
        return missing;
    }

    /** The streams as the form has them, defaults where it has nothing yet (a first view, a newly picked object). */
    static List<StreamMapping> streams(JsonNode source, JsonNode objects, MultivaluedMap<String, String> form) {
        MultivaluedMap<String, String> f = form == null ? new MultivaluedHashMap<>() : form;
        // the form's rows by the stream they were shown for (m<j>.namespace and m<j>.stream): a catalog discovered again
        // meanwhile (a stream added, gone or moved) never puts one stream's mapping on another
        Map<String, String> rows = new java.util.HashMap<>();
        for (String key : f.keySet()) {
            java.util.regex.Matcher m = ROW.matcher(key);
            if (m.matches()) {
                rows.put(f.getFirst("m" + m.group(1) + ".namespace") + "\u0000" + f.getFirst(key), "m" + m.group(1) + ".");
            }
        }
        List<StreamMapping> out = new ArrayList<>();
        int i = 0;
        for (JsonNode s : source.path("streams")) {
            String streamName = s.path("name").asText();
            String k = rows.getOrDefault(s.path("namespace").asText("") + "\u0000" + streamName, "-.");
            List<String> paths = new ArrayList<>();
            NewConnectionFlow.paths(s.path("fields"), "", paths);
            String object = form == null ? (i == 0 ? closest(streamName, objects) : null) : blankToNull(f.getFirst(k + "object"));
            JsonNode o = object == null ? null : object(objects, object);
            if (o == null) {
                object = null;
            }
            // the settings below the object are the form's only when they were shown for this object
            boolean fresh = object == null || !object.equals(f.getFirst(k + "shown"));
            List<Option> objectOptions = new ArrayList<>();
            objectOptions.add(new Option("", "– not synced –", object == null));
            for (JsonNode candidate : objects.path("streams")) {
                String n = candidate.path("name").asText();
                objectOptions.add(new Option(n, n, n.equals(object)));
            }
            List<Option> methods = new ArrayList<>();
            List<Option> keys = new ArrayList<>();
            List<Option> modes = new ArrayList<>();
            List<Option> cursors = new ArrayList<>();
            List<FieldRow> fields = new ArrayList<>();
            boolean keyRequired = false;
            if (o != null) {
                List<String> offered = new ArrayList<>();
                o.path("insertionMethods").forEach(m -> offered.add(m.path("method").asText()));
                String method = !fresh && offered.contains(f.getFirst(k + "method")) ? f.getFirst(k + "method")
                        : offered.contains("upsert") ? "upsert" : offered.isEmpty() ? "insert" : offered.getFirst();
                for (String m : offered) {
                    methods.add(new Option(m, m, m.equals(method)));
                }
                JsonNode spec = null;
                for (JsonNode m : o.path("insertionMethods")) {
                    if (m.path("method").asText().equals(method)) {
                        spec = m;
                    }
                }
                List<String> keyValues = new ArrayList<>();
                if (spec != null) {
                    spec.path("matchingKeys").forEach(key -> {
                        List<String> parts = new ArrayList<>();
                        key.forEach(p -> parts.add(p.asText()));
                        keyValues.add(String.join(",", parts));
                    });
                }
                // upsert, update and soft delete match records by a key: the key is forced, no "none"
                keyRequired = !method.equals("insert");
                String key = keyValues.contains(f.getFirst(k + "key")) ? f.getFirst(k + "key")
                        : keyValues.isEmpty() ? "" : keyValues.getFirst();
                if (!keyRequired) {
                    key = "";
                }
                if (keyRequired) {
                    for (String v : keyValues) {
                        keys.add(new Option(v, v.replace(",", " + "), v.equals(key)));
                    }
                }
                List<String> keyFields = key.isEmpty() ? List.of() : List.of(key.split(","));
                List<String> supported = new ArrayList<>();
                s.path("supportedSyncModes").forEach(m -> supported.add(m.asText()));
                List<String> defaultCursor = new ArrayList<>();
                s.path("defaultCursorField").forEach(c -> defaultCursor.add(c.asText()));
                String mode = !fresh && supported.contains(f.getFirst(k + "mode")) ? f.getFirst(k + "mode")
                        : supported.contains("incremental") && !defaultCursor.isEmpty() ? "incremental" : "full_refresh";
                for (String m : supported) {
                    modes.add(new Option(m, m.equals("incremental") ? "Incremental" : "Full refresh", m.equals(mode)));
                }
                String cursor = !fresh && f.getFirst(k + "cursor") != null ? f.getFirst(k + "cursor")
                        : defaultCursor.isEmpty() ? "" : defaultCursor.getFirst();
                cursors.add(new Option("", "–", cursor.isEmpty()));
                for (String p : paths) {
                    cursors.add(new Option(p, p, p.equals(cursor)));
                }
                for (JsonNode field : o.path("fields")) {
                    String name = field.path("name").asText();
                    String from = fresh ? byName(name, paths) : f.getFirst(k + "f." + name);
                    from = from == null || !paths.contains(from) ? "" : from;
                    List<Option> sources = new ArrayList<>();
                    sources.add(new Option("", "– not mapped –", from.isEmpty()));
                    for (String p : paths) {
                        sources.add(new Option(p, p, p.equals(from)));
                    }
                    fields.add(new FieldRow(name, field.path("type").asText(), !field.path("nullable").asBoolean(true),
                            keyFields.contains(name), sources, !from.isEmpty(), limits(field),
                            blankToNull(f.getFirst(k + "fmt." + name))));
                }
            }
            out.add(new StreamMapping(i, s.path("namespace").asText(""), streamName, objectOptions, object, methods,
                    keyRequired, keys, modes, cursors, fields));
            i++;
        }
        return out;
    }

    /**
     * What the destination accepts in a field beyond its type, as the user should see it while mapping: its longest
     * text and its format: what a record breaking it would be rejected for (TOO_LONG, INVALID_FORMAT).
     */
    static String limits(JsonNode field) {
        List<String> out = new ArrayList<>();
        if (field.path("maxLength").canConvertToInt() && field.path("maxLength").asInt() > 0) {
            out.add("at most " + field.path("maxLength").asInt() + " characters");
        }
        if (field.path("format").isTextual() && !field.path("format").asText().isBlank()) {
            out.add(field.path("format").asText() + " format");
        }
        return String.join(" · ", out);
    }

    /** The source field a destination field is pre-filled from: the same name, case and underscores aside. */
    static String byName(String destination, List<String> paths) {
        String want = normal(destination);
        for (String p : paths) {
            if (normal(p).equals(want)) {
                return p;
            }
        }
        for (String p : paths) {
            if (normal(p.substring(p.lastIndexOf('.') + 1)).equals(want)) {
                return p;
            }
        }
        return "";
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace(".", "");
    }

    private static String closest(String stream, JsonNode objects) {
        for (JsonNode o : objects.path("streams")) {
            if (normal(o.path("name").asText()).equals(normal(stream))) {
                return o.path("name").asText();
            }
        }
        return objects.path("streams").size() == 1 ? objects.path("streams").path(0).path("name").asText() : null;
    }

    private static JsonNode object(JsonNode objects, String name) {
        for (JsonNode o : objects.path("streams")) {
            if (o.path("name").asText().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private static java.util.Optional<String> selected(List<Option> options) {
        return options.stream().filter(Option::selected).map(Option::value).findFirst();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
