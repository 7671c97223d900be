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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A connection's other tabs: the Timeline (what happened, newest first), a job's logs, the Schema (its streams and
 * the schema changes waiting for review, approved with one click) and the Settings (everything set at creation).
 */
@Path("/connections/{id}")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConnectionTabs {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Event(String at, String kind, String actor, String summary) { }

    public record LogLine(int attempt, String at, String level, String message) { }

    /** A stream of the connection as the Schema tab lists it. */
    public record SchemaStream(String name, String mode, String cursor, String key, List<String> fields, String destination) { }

    /**
     * An activation connection's mappings as the Schema tab shows and edits them; {@code fixStream}/{@code fixField}
     * mark the row a rejected record's "fix mapping" link is about; {@code problem} says why they cannot be shown.
     */
    public record MappingView(List<ActivationFlow.StreamMapping> streams, List<String> missing, Map<String, String> errors,
                              String fixNamespace, String fixStream, String fixField, String problem, List<Reread> reread) { }

    /**
     * A stream whose saved mapping now reads source fields earlier syncs did not read (a source reads only the fields
     * its mappings use): the records rejected before were kept without them, so retrying them needs the stream read
     * again. {@code incremental}: only a refresh re-reads it (else every sync does); {@code inserts}: re-reading inserts
     * every record again.
     */
    public record Reread(String namespace, String stream, List<String> fields, boolean incremental, boolean inserts) { }

    /** No row to point at. */
    private static final String[] NO_FIX = {null, null, null};

    /** One pending schema change: what was added, removed or changed, and whether it breaks a stream. */
    public record Change(long id, String at, boolean breaking, List<String> lines) { }

    /** What approving does to one destination table, and to its columns. */
    public record TableEffect(String table, String stream, String effect, String summary, List<ColumnEffect> columns) { }

    public record ColumnEffect(String column, String change, String types, String effect) { }

    /** One request of the job's request inspector, as the page shows it. */
    public record RequestLine(int attempt, String at, String method, String url, String status, long millis,
                              String requestHeaders, String requestBody, String responseHeaders, String responseBody,
                              String error) { }

    private static String headers(JsonNode h) {
        StringBuilder out = new StringBuilder();
        h.properties().forEach(e -> out.append(e.getKey()).append(": ").append(e.getValue().asText()).append('\n'));
        return out.toString();
    }

    /** The Settings form's current values. */
    public record Settings(String name, String scheduleType, long basicUnits, String basicTimeUnit, String cronExpression,
                           String cronTimeZone, String namespaceDefinition, String namespaceFormat, String prefix,
                           String schemaChangePolicy, boolean backfillNewColumns, String notificationWebhook,
                           boolean activation, String basicStartTime, String basicTimeZone) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance timeline(ConnectionPage.View connection, List<Event> events, String error);

        static native TemplateInstance logs(ConnectionPage.View connection, long jobId, String status, List<LogLine> lines,
                                            List<RequestLine> requests, String error);

        static native TemplateInstance schema(ConnectionPage.View connection, List<SchemaStream> streams, List<Change> changes,
                                              List<TableEffect> preview, String previewError, String catalogStatus,
                                              MappingView mapping, String flash, String error);

        static native TemplateInstance settings(ConnectionPage.View connection, Settings settings,
                                                List<ConsolePages.TagChoice> tags, String destinationId, String preset,
                                                List<NewConnectionFlow.StreamRow> streams, NewConnectionFlow.Paging paging,
                                                Map<String, String> errors, String was, String flash, String error);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    @RestClient
    SyncServiceClient syncService;

    @Inject
    SchemaDrafts drafts;

    @Inject
    ServiceUrls services;

    @GET
    @Authenticated
    @Path("timeline")
    public Response timeline(@PathParam("id") String id) {
        return withConnection(id, c -> {
            List<Event> events = new ArrayList<>();
            for (JsonNode e : connectionService.timeline(id, 200)) {
                events.add(new Event(ConnectionPage.time(e.path("occurredAt").asText("")), e.path("kind").asText(),
                        e.path("actor").asText(), e.path("summary").asText()));
            }
            return Templates.timeline(ConnectionPage.view(connectionService, c), events, null);
        });
    }

    @GET
    @Authenticated
    @Path("jobs/{jobId}")
    public Response logs(@PathParam("id") String id, @PathParam("jobId") String jobId) {
        return withConnection(id, c -> {
            ConnectionPage.View view = ConnectionPage.view(connectionService, c);
            try {
                JsonNode job = syncService.job(jobId);
                if (!job.path("connectionId").asText().equals(id)) {
                    return Templates.logs(view, 0, "", List.of(), List.of(), "Job " + jobId + " is not one of this connection's.");
                }
                List<LogLine> lines = new ArrayList<>();
                for (JsonNode l : syncService.logs(jobId)) {
                    lines.add(new LogLine(l.path("attempt").asInt(), ConnectionPage.time(l.path("at").asText("")),
                            l.path("level").asText(), l.path("message").asText()));
                }
                List<RequestLine> requests = new ArrayList<>();
                for (JsonNode r : syncService.requests(jobId)) {
                    requests.add(new RequestLine(r.path("attempt").asInt(), ConnectionPage.time(r.path("at").asText("")),
                            r.path("method").asText(), r.path("url").asText(), r.path("status").isNull() ? "" : r.path("status").asText(),
                            r.path("millis").asLong(), headers(r.path("requestHeaders")), r.path("requestBody").asText(""),
                            headers(r.path("responseHeaders")), r.path("responseBody").asText(""), r.path("error").asText("")));
                }
                return Templates.logs(view, job.path("jobId").asLong(), job.path("status").asText(), lines, requests, null);
            } catch (WebApplicationException e) {
                return Templates.logs(view, 0, "", List.of(), List.of(), e.getResponse().getStatus() == 404
                        ? "There is no job " + jobId + "." : ConnectionPage.problem(e));
            } catch (RuntimeException e) {
                return Templates.logs(view, 0, "", List.of(), List.of(), ConsolePages.unreachable("sync-service", services.syncService().url(), e));
            }
        });
    }

    @GET
    @Authenticated
    @Path("schema")
    public Response schema(@PathParam("id") String id, @QueryParam("flash") String flash,
                           @QueryParam("namespace") String fixNamespace, @QueryParam("stream") String fixStream,
                           @QueryParam("field") String fixField, @QueryParam("reread") String reread,
                           @jakarta.ws.rs.HeaderParam("HX-Request") String htmx) {
        return withConnection(id, c -> {
            // the page's own poll swaps in only the schema changes: no mapping to work out for it
            MappingView view = c.path("mappings").size() == 0 || "true".equals(htmx) ? null
                    : mappingView(c, null, Map.of(), new String[] {fixNamespace == null ? "" : fixNamespace, fixStream, fixField});
            if (view != null && reread != null) {
                view = new MappingView(view.streams(), view.missing(), view.errors(), view.fixNamespace(), view.fixStream(),
                        view.fixField(), view.problem(), rereads(c, reread));
            }
            return schemaPage(id, c, view, flash);
        });
    }

    /** A change in an activation connection's mapping form: the Schema tab again, with what the user chose so far. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("schema/mapping")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeMapping(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        return withConnection(id, c -> schemaPage(id, c, mappingView(c, form, Map.of(), NO_FIX), null));
    }

    /**
     * Save mapping: a PATCH of the connection's mappings only, checked again by connection-service; a refusal comes back
     * with the form as the user left it and the service's words beside it. The records rejected before are offered again
     * at the next sync, mapped the new way.
     */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("schema/mapping/save")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveMapping(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        String done = "Mapping saved. The records rejected before are offered again at the next sync, mapped the new way.";
        String[] reread = {""};
        Response r = withConnection(id, c -> {
            if (c.path("mappings").size() == 0) {
                return schemaPage(id, c, null, "This connection has no mappings: its streams are set in Settings.");
            }
            MappingView view = mappingView(c, form, Map.of(), NO_FIX);
            if (view.problem() != null) {
                return schemaPage(id, c, view, null);
            }
            if (!view.missing().isEmpty()) {
                return schemaPage(id, c, view, "Not saved: " + String.join(" ", view.missing()));
            }
            try {
                ArrayNode mappings = ActivationFlow.mappingRequests(view.streams());
                reread[0] = newlyRead(c, mappings);
                connectionService.update(id, JSON.createObjectNode().set("mappings", mappings));
                return null;
            } catch (WebApplicationException e) {
                reread[0] = "";
                return schemaPage(id, c, mappingView(c, form, Problems.of(e).errorsOrDetail(), NO_FIX), null);
            }
        }, "schema", done);
        if (r.getStatus() == 303 && !reread[0].isEmpty()) { // saved, and some stream reads new fields: say so there
            Map<String, String> query = new java.util.LinkedHashMap<>();
            query.put("reread", reread[0]);
            query.put("flash", "Mapping saved.");
            return ConsolePages.redirect("/connections/" + id + "/schema", query);
        }
        return r;
    }

    /** The most fields per stream, and the most streams, a reread names (the rest is "and more"). */
    static final int REREAD_FIELDS = 10;
    static final int REREAD_STREAMS = 10;

    /**
     * Per stream, the source fields the new mappings read that the connection did not read so far, each part
     * URL-encoded: {@code namespace:stream=field,field;…} (empty when none), at most {@link #REREAD_STREAMS} streams and
     * {@link #REREAD_FIELDS} fields each, so that the address stays short: what the Schema tab then offers to read again.
     */
    static String newlyRead(JsonNode c, JsonNode mappings) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : mappings) {
            java.util.Set<String> before = null;
            for (JsonNode st : c.path("streams")) {
                if (st.path("name").asText().equals(m.path("stream").asText())
                        && st.path("namespace").asText("").equals(m.path("namespace").asText(""))) {
                    before = new java.util.HashSet<>();
                    for (JsonNode f : st.path("fields")) {
                        before.add(f.path("name").asText());
                    }
                }
            }
            if (before == null || out.size() == REREAD_STREAMS) {
                continue; // a stream not read before: its first sync reads it whole
            }
            java.util.Set<String> now = sourceFields(m);
            now.removeAll(before);
            if (!now.isEmpty()) {
                out.add(enc(m.path("namespace").asText("")) + ":" + enc(m.path("stream").asText()) + "="
                        + String.join(",", now.stream().limit(REREAD_FIELDS).map(ConnectionTabs::enc).toList()));
            }
        }
        return String.join(";", out);
    }

    /** The top-level source fields a mapping reads: its field pairs' and its cursor's. */
    private static java.util.Set<String> sourceFields(JsonNode m) {
        java.util.Set<String> fields = new java.util.LinkedHashSet<>();
        m.path("fields").forEach(f -> fields.add(f.path("source").path(0).asText()));
        if (m.path("cursorField").size() > 0) {
            fields.add(m.path("cursorField").path(0).asText());
        }
        return fields;
    }

    /**
     * The rereads a saved mapping asked for, kept to the streams the connection maps and to the fields their mappings
     * read (the query is anyone's link: it can name nothing else).
     */
    static List<Reread> rereads(JsonNode c, String query) {
        List<Reread> out = new ArrayList<>();
        for (String part : query.split(";")) {
            int colon = part.indexOf(':');
            int eq = part.indexOf('=');
            if (colon < 0 || eq < colon || out.size() == REREAD_STREAMS) {
                continue;
            }
            String namespace = dec(part.substring(0, colon));
            String stream = dec(part.substring(colon + 1, eq));
            for (JsonNode m : c.path("mappings")) {
                if (m.path("stream").asText().equals(stream) && m.path("namespace").asText("").equals(namespace)) {
                    java.util.Set<String> read = sourceFields(m);
                    List<String> fields = new ArrayList<>();
                    for (String f : part.substring(eq + 1).split(",")) {
                        String field = dec(f);
                        if (read.contains(field) && !fields.contains(field) && fields.size() < REREAD_FIELDS) {
                            fields.add(field);
                        }
                    }
                    if (!fields.isEmpty()) {
                        out.add(new Reread(namespace, stream, fields, "incremental".equals(m.path("syncMode").asText()),
                                "insert".equals(m.path("insertionMethod").asText())));
                    }
                }
            }
        }
        return out;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private TemplateInstance schemaPage(String id, JsonNode c, MappingView mapping, String flash) {
        List<SchemaStream> streams = new ArrayList<>();
        for (JsonNode s : c.path("streams")) {
            List<String> fields = new ArrayList<>();
            s.path("fields").forEach(f -> fields.add(f.path("name").asText()));
            List<String> key = new ArrayList<>();
            s.path("primaryKey").forEach(k -> key.add(String.join(".", texts(k))));
            streams.add(new SchemaStream((s.path("namespace").isTextual() ? s.path("namespace").asText() + "." : "")
                    + s.path("name").asText(), s.path("syncMode").asText() + " | " + s.path("destinationSyncMode").asText(),
                    String.join(".", texts(s.path("cursorField"))), String.join(" + ", key), fields,
                    s.path("destinationName").asText("")));
        }
        List<Change> changes = new ArrayList<>();
        for (JsonNode ch : connectionService.schemaChanges(id)) {
            changes.add(new Change(ch.path("id").asLong(), ConnectionPage.time(ch.path("createdAt").asText("")),
                    ch.path("breaking").asBoolean(), describe(ch.path("diff"))));
        }
        List<TableEffect> preview = new ArrayList<>();
        String previewError = null;
        if (!changes.isEmpty() && c.path("mappings").size() == 0) { // ELT: what approving does in the destination
            try {
                for (JsonNode t : connectionService.schemaChangePreview(id).path("tables")) {
                    List<ColumnEffect> columns = new ArrayList<>();
                    for (JsonNode col : t.path("columns")) {
                        String types = col.path("change").asText().equals("type_changed")
                                ? col.path("fromType").asText() + " → " + col.path("toType").asText()
                                : col.path("toType").asText(col.path("fromType").asText(""));
                        columns.add(new ColumnEffect(col.path("column").asText(), col.path("change").asText(), types,
                                col.path("effect").asText()));
                    }
                    preview.add(new TableEffect(t.path("table").asText(), t.path("stream").asText(), t.path("effect").asText(),
                            t.path("summary").asText(), columns));
                }
            } catch (RuntimeException e) {
                // the changes themselves still show; the user is told the preview is missing, and why
                previewError = "What approving does in the destination could not be worked out just now ("
                        + (e instanceof WebApplicationException w ? "connection-service answered " + w.getResponse().getStatus()
                                : "connection-service did not answer") + "): the changes above are still listed, and "
                        + "it is asked again in a few seconds.";
            }
        }
        String catalogStatus = connectionService.connectionCatalog(id).path("status").asText("");
        return Templates.schema(ConnectionPage.view(connectionService, c), streams, changes, preview, previewError,
                catalogStatus, mapping, flash, null);
    }

    /**
     * The mapping form over the source's and the destination's current schemas: from the connection's saved mappings,
     * or from {@code form} while the user edits them (only the m&lt;i&gt;.* fields are read; the ids come from the saved
     * connection, never from the form).
     */
    private MappingView mappingView(JsonNode c, MultivaluedMap<String, String> form, Map<String, String> errors,
                                    String[] fix) {
        try {
            JsonNode source = connectionService.sourceCatalog(c.path("sourceId").asText());
            JsonNode objects = connectionService.destinationObjects(c.path("destinationId").asText());
            for (JsonNode s : List.of(source, objects)) {
                if (!"discovered".equals(s.path("status").asText())) {
                    return new MappingView(List.of(), List.of(), errors, null, null, null, "The mapping shows once the "
                            + (s == source ? "source's streams" : "destination's objects") + " are fetched ("
                            + s.path("status").asText("pending") + ")" + (s.path("message").asText("").isEmpty() ? "."
                            : ": " + s.path("message").asText()), List.of());
                }
            }
            MultivaluedMap<String, String> values = form != null ? form
                    : ActivationFlow.formOf(source.path("catalog"), c.path("mappings"));
            List<ActivationFlow.StreamMapping> streams = ActivationFlow.streams(source.path("catalog"), objects.path("objects"), values);
            return new MappingView(streams, ActivationFlow.missing(streams), errors, fix[0], fix[1], fix[2], null, List.of());
        } catch (WebApplicationException e) {
            return new MappingView(List.of(), List.of(), errors, null, null, null, ConnectionPage.problem(e), List.of());
        }
    }

    /** Approve: the source's current schema is applied (new streams and fields added, vanished ones removed). */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("schema/approve")
    public Response approve(@PathParam("id") String id) {
        return then(id, "schema", () -> connectionService.approveSchemaChanges(id), "Schema changes approved.");
    }

    /** Refresh source schema: discovery again; a change shows here once it is found. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("schema/refresh")
    public Response refreshSchema(@PathParam("id") String id) {
        return then(id, "schema", () -> connectionService.discover(connectionService.connection(id).path("sourceId").asText()),
                "Fetching the source's schema again; a change shows here when it is found.");
    }

    @GET
    @Authenticated
    @Path("settings")
    public Response settings(@PathParam("id") String id, @QueryParam("flash") String flash) {
        return withConnection(id, c -> {
            String preset = preset(c);
            SchemaDrafts.Draft draft = c.path("mappings").size() > 0 ? null : draft(id, c);
            NewConnectionFlow.TablePage table = draft == null ? new NewConnectionFlow.TablePage(List.of(), NewConnectionFlow.NO_PAGING)
                    : NewConnectionFlow.tablePage(draft, preset, "", 0);
            return Templates.settings(ConnectionPage.view(connectionService, c), settings(c), tagChoices(c),
                    c.path("destinationId").asText(), preset, table.rows(), table.paging(), Map.of(), was(c), flash, null);
        });
    }

    /** Save changes: a PATCH with every setting of the form; the service's field errors come back beside them. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        return withConnection(id, c -> {
            ObjectNode patch = JSON.createObjectNode();
            patch.put("name", form.getFirst("name") == null ? "" : form.getFirst("name").trim());
            patch.set("schedule", NewConnectionFlow.schedule(form));
            boolean activation = c.path("mappings").size() > 0;
            if (!activation) {
                patch.put("namespaceDefinition", value(form, "namespaceDefinition", "destination"));
                if ("custom_format".equals(form.getFirst("namespaceDefinition"))) {
                    patch.put("namespaceFormat", value(form, "namespaceFormat", ""));
                }
                patch.put("prefix", value(form, "prefix", "").trim());
                patch.put("schemaChangePolicy", value(form, "schemaChangePolicy", "propagate_columns"));
                patch.put("backfillNewColumns", "on".equals(form.getFirst("backfillNewColumns")));
            }
            SchemaDrafts.Draft draft = activation ? null : drafts.get(form.getFirst("draft"));
            if (!activation && draft == null && !value(form, "draft", "").isBlank()) {
                // the table's choices lived in a draft that is gone: saving the rest would drop them without a word
                return refusedSettings(c, form, null, Map.of("streams", "Not saved: this page was open too long (or the "
                        + "console restarted) to keep your changes to the streams. Reload Settings and make them again; "
                        + "your other settings are kept below."));
            }
            if (draft != null) { // the streams as the Schema table now has them, every page of it
                draft.merge(form);
                ArrayNode streams = patch.putArray("streams");
                NewConnectionFlow.streamRequests(draft.catalog(), draft.values(), streams);
                SchemaDrafts.Draft stored = draft(id, c); // the same table as the connection has it now
                if (stored != null) {
                    ArrayNode now = JSON.createArrayNode();
                    NewConnectionFlow.streamRequests(stored.catalog(), stored.values(), now);
                    drafts.remove(stored.id());
                    if (now.equals(streams)) {
                        patch.remove("streams");
                    }
                }
            }
            // empty removes it; sent only when changed on the page (onlyChanged), as its shown form comes back unchanged
            patch.put("notificationWebhook", value(form, "notificationWebhook", "").trim());
            try {
                // the new tag typed is made only once the rest is accepted: a refused save leaves none behind
                ArrayNode ticked = NewConnectionFlow.tickedTags(form);
                patch.set("tags", ticked);
                onlyChanged(patch, loaded(form, c));
                if (!patch.isEmpty()) {
                    connectionService.update(id, patch);
                }
                if (draft != null) {
                    drafts.remove(draft.id());
                }
                String notAdded = NewConnectionFlow.addNewTag(connectionService, id, ticked, form);
                if (notAdded != null) {
                    JsonNode saved = connectionService.connection(id);
                    SchemaDrafts.Draft fresh = activation ? null : draft(id, saved);
                    NewConnectionFlow.TablePage table = fresh == null
                            ? new NewConnectionFlow.TablePage(List.of(), NewConnectionFlow.NO_PAGING)
                            : NewConnectionFlow.tablePage(fresh, preset(saved), "", 0);
                    return Templates.settings(ConnectionPage.view(connectionService, saved), settings(saved),
                            tagChoices(saved), saved.path("destinationId").asText(), preset(saved), table.rows(),
                            table.paging(), Map.of(), was(saved), "Settings saved, " + notAdded, null);
                }
                return null; // saved: back to the tab
            } catch (WebApplicationException e) {
                return refusedSettings(c, form, draft, Problems.of(e).errorsOrDetail());
            }
        }, "settings", "Settings saved.");
    }

    /**
     * The settings as the page showed them when it was loaded, in the shape a save sends them: kept in the form, so
     * that a save sends only what the user changed on it (a field changed meanwhile through the API, and left alone
     * here, is not sent back with its old value).
     */
    static String was(JsonNode c) {
        ObjectNode was = JSON.createObjectNode().put("name", c.path("name").asText());
        JsonNode s = c.path("schedule");
        ObjectNode schedule = was.putObject("schedule").put("scheduleType", s.path("scheduleType").asText("manual"));
        if ("basic".equals(s.path("scheduleType").asText())) {
            schedule.put("basicUnits", s.path("basicUnits").asLong()).put("basicTimeUnit", s.path("basicTimeUnit").asText());
            if (s.hasNonNull("basicStartTime")) {
                schedule.put("basicStartTime", s.path("basicStartTime").asText())
                        .put("basicTimeZone", s.path("basicTimeZone").asText("UTC"));
            }
        } else if ("cron".equals(s.path("scheduleType").asText())) {
            schedule.put("cronExpression", s.path("cronExpression").asText()).put("cronTimeZone", s.path("cronTimeZone").asText("UTC"));
        }
        // the defaults the form shows for what is not set, so that an untouched field is never sent
        was.put("namespaceDefinition", c.path("namespaceDefinition").asText("destination"));
        was.put("schemaChangePolicy", c.path("schemaChangePolicy").asText("propagate_columns"));
        for (String f : List.of("namespaceFormat", "prefix", "notificationWebhook")) {
            was.put(f, c.path(f).asText(""));
        }
        was.put("backfillNewColumns", c.path("backfillNewColumns").asBoolean(false));
        was.set("tags", c.path("tags").isArray() ? c.path("tags") : JSON.createArrayNode());
        return was.toString();
    }

    /** What the page was loaded with (the form's "was"), else the connection as stored now. */
    private static JsonNode loaded(MultivaluedMap<String, String> form, JsonNode c) {
        try {
            JsonNode was = JSON.readTree(value(form, "was", ""));
            return was != null && was.isObject() ? was : c;
        } catch (java.io.IOException e) {
            return c;
        }
    }

    /** The Settings tab as the user left it, with why it was not saved beside the fields it names. */
    private TemplateInstance refusedSettings(JsonNode c, MultivaluedMap<String, String> form, SchemaDrafts.Draft draft,
                                             Map<String, String> errors) {
        boolean activation = c.path("mappings").size() > 0;
        Settings typed = new Settings(form.getFirst("name"), value(form, "scheduleType", "manual"),
                NewConnectionFlow.parseLong(form.getFirst("basicUnits"), 24), value(form, "basicTimeUnit", "hours"),
                value(form, "cronExpression", ""), value(form, "cronTimeZone", "UTC"),
                value(form, "namespaceDefinition", "destination"), value(form, "namespaceFormat", ""),
                value(form, "prefix", ""), value(form, "schemaChangePolicy", "propagate_columns"),
                "on".equals(form.getFirst("backfillNewColumns")), value(form, "notificationWebhook", "").trim(), activation,
                value(form, "basicStartTime", ""), value(form, "basicTimeZone", "UTC"));
        SchemaDrafts.Draft table = draft != null || activation ? draft : draft(c.path("connectionId").asText(), c);
        NewConnectionFlow.TablePage page = table == null ? new NewConnectionFlow.TablePage(List.of(), NewConnectionFlow.NO_PAGING)
                : NewConnectionFlow.tablePage(table, preset(c), draft == null ? "" : form.getFirst("q"),
                draft == null ? 0 : (int) NewConnectionFlow.parseLong(form.getFirst("page"), 0));
        return Templates.settings(ConnectionPage.view(connectionService, c), typed,
                ConsolePages.tagChoices(connectionService.tags(), form), c.path("destinationId").asText(), preset(c),
                page.rows(), page.paging(), errors, value(form, "was", was(c)), null, null);
    }

    /**
     * PATCH semantics: what the form says and the connection already has is left out of {@code patch}, so a save
     * changes only what the user changed here, and nothing another user or the API set meanwhile is overwritten.
     */
    static void onlyChanged(ObjectNode patch, JsonNode c) {
        java.util.Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode now = c.path(e.getKey());
            boolean same = switch (e.getKey()) {
                case "schedule" -> {
                    // the same fields set (a start time cleared is a change) with the same values
                    java.util.Set<String> set = new java.util.HashSet<>();
                    now.properties().forEach(f -> {
                        if (!f.getValue().isNull() && !f.getValue().asText().isEmpty()) {
                            set.add(f.getKey());
                        }
                    });
                    java.util.Set<String> sent = new java.util.HashSet<>();
                    e.getValue().properties().forEach(f -> sent.add(f.getKey()));
                    boolean all = set.equals(sent);
                    for (Map.Entry<String, JsonNode> f : e.getValue().properties()) {
                        all &= f.getValue().asText().equals(now.path(f.getKey()).asText());
                    }
                    yield all;
                }
                case "tags" -> new java.util.HashSet<>(texts(e.getValue())).equals(new java.util.HashSet<>(texts(now)));
                case "streams" -> false; // compared with the stored table by the caller
                default -> e.getValue().isTextual() ? e.getValue().asText().equals(now.asText(""))
                        : e.getValue().equals(now);
            };
            if (same) {
                it.remove();
            }
        }
    }

    private static String preset(JsonNode c) {
        return "append_history".equals(c.path("syncModePreset").asText()) ? "append_history" : "replicate_source";
    }

    /** A draft of the Schema table holding the connection's streams as they are configured now. */
    private SchemaDrafts.Draft draft(String id, JsonNode c) {
        JsonNode catalog = connectionService.connectionCatalog(id);
        if (!"discovered".equals(catalog.path("status").asText())) {
            return null;
        }
        SchemaDrafts.Draft draft = drafts.create(catalog.path("discoveredCatalog"),
                NewConnectionFlow.destinationModes(connectionService, c.path("destinationId").asText()));
        JsonNode all = catalog.path("discoveredCatalog").path("streams");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        c.path("streams").forEach(cs -> byName.put(cs.path("namespace").asText("") + "." + cs.path("name").asText(), cs));
        for (int i = 0; i < all.size(); i++) {
            JsonNode s = all.get(i);
            JsonNode configured = byName.get(s.path("namespace").asText("") + "." + s.path("name").asText());
            if (configured == null) {
                draft.configure(i, false, null, null, null, null, null);
                continue;
            }
            List<String> key = new ArrayList<>();
            configured.path("primaryKey").forEach(k -> key.add(k.path(0).asText()));
            List<String> fields = new ArrayList<>();
            NewConnectionFlow.paths(configured.path("fields"), "", fields);
            List<String> every = new ArrayList<>();
            NewConnectionFlow.paths(s.path("fields"), "", every);
            draft.configure(i, true, configured.path("syncMode").asText() + ":" + configured.path("destinationSyncMode").asText(),
                    configured.path("cursorField").path(0).asText(""), key, fields.containsAll(every) ? null : fields,
                    configured.path("destinationName").asText(null));
        }
        return draft;
    }

    private Settings settings(JsonNode c) {
        JsonNode s = c.path("schedule");
        return new Settings(c.path("name").asText(), s.path("scheduleType").asText("manual"), s.path("basicUnits").asLong(24),
                s.path("basicTimeUnit").asText("hours"), s.path("cronExpression").asText(""), s.path("cronTimeZone").asText("UTC"),
                c.path("namespaceDefinition").asText("destination"), c.path("namespaceFormat").asText(""),
                c.path("prefix").asText(""), c.path("schemaChangePolicy").asText("propagate_columns"),
                c.path("backfillNewColumns").asBoolean(false), c.path("notificationWebhook").asText(""),
                c.path("mappings").size() > 0, s.path("basicStartTime").asText(""), s.path("basicTimeZone").asText("UTC"));
    }

    private List<ConsolePages.TagChoice> tagChoices(JsonNode c) {
        List<String> mine = texts(c.path("tags"));
        List<ConsolePages.TagChoice> out = new ArrayList<>();
        ConsolePages.tags(connectionService.tags()).values().forEach(t ->
                out.add(new ConsolePages.TagChoice(t.id(), t.name(), t.color(), mine.contains(t.id()))));
        return out;
    }

    /** A schema diff in words, a line per change. */
    static List<String> describe(JsonNode diff) {
        List<String> lines = new ArrayList<>();
        diff.path("streamsAdded").forEach(s -> lines.add("New stream " + qualified(s) + "."));
        diff.path("streamsRemoved").forEach(s -> lines.add("Stream " + qualified(s) + " is gone from the source."));
        for (JsonNode f : diff.path("fieldChanges")) {
            String field = String.join(".", texts(f.path("field")));
            String stream = f.path("stream").asText();
            lines.add(switch (f.path("change").asText()) {
                case "added" -> stream + ": new field " + field + " (" + f.path("toType").asText("") + ").";
                case "removed" -> stream + ": field " + field + " was removed.";
                default -> stream + ": field " + field + " changed from " + f.path("fromType").asText("?") + " to "
                        + f.path("toType").asText("?") + ".";
            });
        }
        return lines;
    }

    private static String qualified(JsonNode ref) {
        return (ref.path("namespace").isTextual() ? ref.path("namespace").asText() + "." : "") + ref.path("name").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String value(MultivaluedMap<String, String> form, String key, String otherwise) {
        String v = form.getFirst(key);
        return v == null ? otherwise : v;
    }

    interface Page {
        TemplateInstance render(JsonNode connection);
    }

    /** The tab, once the connection is found: 404 when it is not, a banner when connection-service does not answer. */
    private Response withConnection(String id, Page page) {
        return withConnection(id, page, null, null);
    }

    /** As above; a page that renders nothing (null) has done its work, and the user goes back to {@code tab}. */
    private Response withConnection(String id, Page page, String tab, String done) {
        if (!ConsolePages.isUuid(id)) {
            return notFound(id);
        }
        try {
            JsonNode c = connectionService.connection(id);
            TemplateInstance t = page.render(c);
            if (t == null) {
                return ConsolePages.redirect("/connections/" + id + "/" + tab, done);
            }
            return Response.ok(t).build();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return notFound(id);
            }
            return Response.ok(Templates.timeline(null, List.of(), ConsolePages.unreachable("connection-service",
                    services.connectionService().url(), e))).build();
        } catch (RuntimeException e) {
            return Response.ok(Templates.timeline(null, List.of(), ConsolePages.unreachable("connection-service",
                    services.connectionService().url(), e))).build();
        }
    }

    private Response then(String id, String tab, Runnable call, String done) {
        if (!ConsolePages.isUuid(id)) {
            return notFound(id);
        }
        String flash;
        try {
            call.run();
            flash = done;
        } catch (WebApplicationException e) {
            flash = ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
        }
        return ConsolePages.redirect("/connections/" + id + "/" + tab, flash);
    }

    private static Response notFound(String id) {
        return Response.status(404).entity(Templates.timeline(null, List.of(), "There is no connection " + id + ".")).build();
    }
}
