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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * "New connection", ELT branch, in the seed's steps: pick a source and a destination, answer "Select sync mode",
 * wait for the schema (a live indicator, never a frozen page; a failure shows the connector's message and Retry),
 * choose streams, sync modes, cursors and primary keys in the Schema table, then Configure connection and Set up
 * connection. The connection is created only at the end, with everything chosen, by one POST /connections.
 */
@Path("/connections/new")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class NewConnectionFlow {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sync modes a stream can take, as Airbyte words them: source mode | destination mode. */
    static final Map<String, String> MODES = new LinkedHashMap<>();

    static {
        MODES.put("incremental:append_dedup", "Incremental | Append + Deduped");
        MODES.put("full_refresh:overwrite", "Full refresh | Overwrite");
        MODES.put("full_refresh:overwrite_dedup", "Full refresh | Overwrite + Deduped");
        MODES.put("incremental:append", "Incremental | Append");
        MODES.put("full_refresh:append", "Full refresh | Append");
    }

    /** A source or destination to pick: its id, name, and its connector's name (e.g. "Postgres"). */
    public record Choice(String id, String name, String type, boolean chosen) { }

    /**
     * A choice of a stream's sync mode; the preset's choice ("by the answer above") also says what each preset gives
     * this stream, so that the page can show it as soon as the preset changes.
     */
    public record Mode(String value, String label, boolean selected, String replicate, String history) { }

    public record FieldChoice(String name, String type, boolean cursor, boolean key) { }

    /** A field of a stream in its list of checkboxes: nested fields under their parent, by depth. */
    public record FieldBox(String path, String name, String type, int depth, boolean selected) { }

    /** One row of the Schema table. */
    public record StreamRow(int index, String namespace, String name, boolean selected, List<Mode> modes,
                            List<FieldChoice> fields, boolean cursorLocked, boolean keyLocked, List<FieldBox> boxes,
                            int selectedFields, String destinationName, String suggestedKey) { }

    /**
     * The Configure section as the user left it: shown again exactly so when the setup is refused (a bad cron keeps
     * the schedule, the namespace, the prefix and the new tag typed, not yet created).
     */
    public record Typed(String scheduleType, String basicUnits, String basicTimeUnit, String cronExpression,
                        String cronTimeZone, String namespaceDefinition, String namespaceFormat, String prefix,
                        String schemaChangePolicy, boolean backfillNewColumns, String newTagName, String newTagColor,
                        String basicStartTime, String basicTimeZone) {
        /** A new setup's: Manual, every 24 hours if scheduled (no start time, UTC if one is given), cron in UTC. */
        static final Typed DEFAULTS = new Typed("manual", "24", "hours", "", "UTC", "destination", "", "",
                "propagate_columns", false, "", "#1e88e5", "", "UTC");

        static Typed of(MultivaluedMap<String, String> form) {
            if (form == null) {
                return DEFAULTS;
            }
            return new Typed(or(form, "scheduleType", DEFAULTS.scheduleType), or(form, "basicUnits", DEFAULTS.basicUnits),
                    or(form, "basicTimeUnit", DEFAULTS.basicTimeUnit), or(form, "cronExpression", ""),
                    or(form, "cronTimeZone", DEFAULTS.cronTimeZone),
                    or(form, "namespaceDefinition", DEFAULTS.namespaceDefinition), or(form, "namespaceFormat", ""),
                    or(form, "prefix", ""), or(form, "schemaChangePolicy", DEFAULTS.schemaChangePolicy),
                    "on".equals(form.getFirst("backfillNewColumns")), or(form, "newTagName", ""),
                    or(form, "newTagColor", DEFAULTS.newTagColor), or(form, "basicStartTime", ""),
                    or(form, "basicTimeZone", DEFAULTS.basicTimeZone));
        }

        private static String or(MultivaluedMap<String, String> form, String key, String otherwise) {
            String v = form.getFirst(key);
            return v == null ? otherwise : v;
        }
    }

    /** Where the Schema table is in the catalog: its draft, filter and page. */
    public record Paging(String draft, String q, int page, int pages, int matching, int total, int from, int to,
                         int previous, int next, boolean allSelected) {
        public boolean hasPrevious() {
            return page > 0;
        }

        public boolean hasNext() {
            return page + 1 < pages;
        }

        /** The page as people count: from 1. */
        public int number() {
            return page + 1;
        }
    }

    static final Paging NO_PAGING = new Paging("", "", 0, 0, 0, 0, 0, 0, 0, 0, true);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance pick(List<Choice> sources, List<Choice> destinations, String flash, String error);

        static native TemplateInstance schema(String sourceId, String destinationId, String preset, String status,
                                              String message, List<StreamRow> streams, Paging paging, String name,
                                              List<ConsolePages.TagChoice> tags, String destinationNamespace,
                                              Map<String, String> errors, String error, Typed typed);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    SchemaDrafts drafts;

    @Inject
    ServiceUrls services;

    /**
     * Pick a source and a destination: each with its connector's name, filtered as the user types; {@code sourceId} and
     * {@code destinationId} come chosen (back from "add one"), else the only one there is.
     */
    @GET
    @Authenticated
    public TemplateInstance pick(@QueryParam("sourceId") String sourceId, @QueryParam("destinationId") String destinationId,
                                 @QueryParam("flash") String flash) {
        try {
            Map<String, String> types = new java.util.HashMap<>();
            try {
                connectionService.definitions(null).forEach(d -> types.put((d.path("kind").asText().equals("source") ? "s:"
                        : "d:") + d.path("id").asText(), d.path("name").asText()));
            } catch (RuntimeException e) {
                // the connectors' names are a nicety: their ids show instead
            }
            JsonNode sourceList = connectionService.sources();
            JsonNode destinationList = connectionService.destinations();
            List<Choice> sources = new ArrayList<>();
            sourceList.forEach(s -> sources.add(new Choice(s.path("sourceId").asText(), s.path("name").asText(),
                    types.getOrDefault("s:" + s.path("sourceType").asText(), s.path("sourceType").asText()),
                    s.path("sourceId").asText().equals(sourceId) || sourceList.size() == 1)));
            List<Choice> destinations = new ArrayList<>();
            destinationList.forEach(d -> destinations.add(new Choice(d.path("destinationId").asText(), d.path("name").asText(),
                    types.getOrDefault("d:" + d.path("destinationType").asText(), d.path("destinationType").asText()),
                    d.path("destinationId").asText().equals(destinationId) || destinationList.size() == 1)));
            return Templates.pick(sources, destinations, flash, null);
        } catch (RuntimeException e) {
            return Templates.pick(List.of(), List.of(), flash, ConsolePages.unreachable("connection-service", services.connectionService().url(), e));
        }
    }

    /** The schema step: discovering (the page polls itself), failed (with Retry), or the Schema table and settings. */
    @GET
    @Authenticated
    @Path("schema")
    public Response schema(@QueryParam("sourceId") String sourceId, @QueryParam("destinationId") String destinationId,
                           @QueryParam("preset") String preset, @QueryParam("retry") boolean retry) {
        String p = "append_history".equals(preset) ? "append_history" : "replicate_source";
        if (sourceId == null || destinationId == null || sourceId.isBlank() || destinationId.isBlank()) {
            return Response.seeOther(URI.create("/connections/new")).build();
        }
        try {
            if (retry) {
                connectionService.discover(sourceId);
                return Response.seeOther(URI.create("/connections/new/schema?sourceId=" + sourceId + "&destinationId="
                        + destinationId + "&preset=" + p)).build();
            }
            if (activation(destinationId)) {
                return Response.seeOther(URI.create("/connections/new/mapping?sourceId=" + sourceId + "&destinationId="
                        + destinationId)).build();
            }
            JsonNode catalog = connectionService.sourceCatalog(sourceId);
            String status = catalog.path("status").asText("pending");
            if (!status.equals("discovered")) {
                return Response.ok(schemaPage(sourceId, destinationId, p, status, catalog.path("message").asText(""),
                        List.of(), NO_PAGING, "", List.of(), "", Map.of(), null)).build();
            }
            JsonNode destinations = connectionService.destinations();
            String name = ConsolePages.name(connectionService.sources(), "sourceId", sourceId) + " → "
                    + ConsolePages.name(destinations, "destinationId", destinationId);
            SchemaDrafts.Draft draft = drafts.create(catalog.path("catalog"), destinationModes(connectionService, destinationId));
            return Response.ok(table(sourceId, destinationId, p, draft, "", 0, name, ConsolePages.tagChoices(connectionService.tags(),
                    null), namespace(destinations, destinationId), Map.of())).build();
        } catch (WebApplicationException e) {
            return Response.ok(schemaPage(sourceId, destinationId, p, "failed", ConnectionPage.problem(e), List.of(), NO_PAGING, "",
                    List.of(), "", Map.of(), null)).build();
        } catch (RuntimeException e) {
            return Response.ok(schemaPage(sourceId, destinationId, p, "unknown", "", List.of(), NO_PAGING, "", List.of(), "", Map.of(),
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    /**
     * Another page of the Schema table, a filter typed, or "select all": the page shown so far is kept in the draft,
     * then the table is rendered again (htmx swaps it in).
     */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("schema/page")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response page(MultivaluedMap<String, String> form, @jakarta.ws.rs.HeaderParam("HX-Trigger") String trigger) {
        String preset = "append_history".equals(form.getFirst("preset")) ? "append_history" : "replicate_source";
        SchemaDrafts.Draft draft = drafts.get(form.getFirst("draft"));
        if (draft == null) { // expired, or the console restarted: start the schema step again
            return Response.ok(schemaPage(form.getFirst("sourceId"), form.getFirst("destinationId"), preset, "unknown", "",
                    List.of(), NO_PAGING, "", List.of(), "", Map.of(), "This setup was left too long (or the console restarted): "
                    + "open the schema step again to go on.")).build();
        }
        draft.merge(form);
        String q = form.getFirst("q") == null ? "" : form.getFirst("q");
        if ("select-all".equals(trigger)) { // htmx names the element that asked: the checkbox itself
            draft.selectAll(q, "on".equals(form.getFirst("selectAll")));
        }
        int page = (int) parseLong(form.getFirst("page"), 0);
        return Response.ok(table(form.getFirst("sourceId"), form.getFirst("destinationId"), preset, draft, q, page,
                form.getFirst("name"), List.of(), form.getFirst("destinationNamespace"), Map.of())).build();
    }

    /** One page of the Schema table: its rows and where it is. */
    public record TablePage(List<StreamRow> rows, Paging paging) { }

    /** The page {@code page} of the streams that match {@code q}, as the draft has them. */
    static TablePage tablePage(SchemaDrafts.Draft draft, String preset, String q, int page) {
        JsonNode streams = draft.catalog().path("streams");
        MultivaluedMap<String, String> values = draft.values();
        List<Integer> matching = new ArrayList<>();
        boolean allSelected = true;
        for (int i = 0; i < streams.size(); i++) {
            if (SchemaDrafts.matches(streams.get(i), q)) {
                matching.add(i);
                String k = "s" + i + ".";
                allSelected &= values.getFirst(k + "touched") == null || "on".equals(values.getFirst(k + "selected"));
            }
        }
        int pages = Math.max(1, (matching.size() + SchemaDrafts.PAGE_SIZE - 1) / SchemaDrafts.PAGE_SIZE);
        int p = Math.max(0, Math.min(page, pages - 1));
        List<Integer> shown = matching.subList(Math.min(matching.size(), p * SchemaDrafts.PAGE_SIZE),
                Math.min(matching.size(), (p + 1) * SchemaDrafts.PAGE_SIZE));
        Paging paging = new Paging(draft.id(), q == null ? "" : q, p, pages, matching.size(), streams.size(),
                shown.isEmpty() ? 0 : p * SchemaDrafts.PAGE_SIZE + 1, p * SchemaDrafts.PAGE_SIZE + shown.size(), p - 1, p + 1,
                allSelected);
        return new TablePage(rows(draft.catalog(), preset, values, shown, draft.destinationModes()), paging);
    }

    /** The Schema table at one page of the streams that match {@code q}, with the rest of the step around it. */
    static TemplateInstance table(String sourceId, String destinationId, String preset, SchemaDrafts.Draft draft, String q,
                                  int page, String name, List<ConsolePages.TagChoice> tags, String destinationNamespace,
                                  Map<String, String> errors) {
        return table(sourceId, destinationId, preset, draft, q, page, name, tags, destinationNamespace, errors, Typed.DEFAULTS);
    }

    static TemplateInstance table(String sourceId, String destinationId, String preset, SchemaDrafts.Draft draft, String q,
                                  int page, String name, List<ConsolePages.TagChoice> tags, String destinationNamespace,
                                  Map<String, String> errors, Typed typed) {
        TablePage t = tablePage(draft, preset, q, page);
        return Templates.schema(sourceId, destinationId, preset, "discovered", "", t.rows(), t.paging(), name == null ? "" : name,
                tags, destinationNamespace == null ? "public" : destinationNamespace, errors, null, typed);
    }

    /** The schema step's page with a new setup's Configure section. */
    static TemplateInstance schemaPage(String sourceId, String destinationId, String preset, String status, String message,
                                       List<StreamRow> streams, Paging paging, String name,
                                       List<ConsolePages.TagChoice> tags, String destinationNamespace,
                                       Map<String, String> errors, String error) {
        return Templates.schema(sourceId, destinationId, preset, status, message, streams, paging, name, tags,
                destinationNamespace, errors, error, Typed.DEFAULTS);
    }

    /** Set up connection: one POST /connections with every choice; its field errors come back beside the fields. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> form) {
        String sourceId = form.getFirst("sourceId");
        String destinationId = form.getFirst("destinationId");
        String preset = "append_history".equals(form.getFirst("preset")) ? "append_history" : "replicate_source";
        ObjectNode body = JSON.createObjectNode().put("sourceId", sourceId).put("destinationId", destinationId)
                .put("syncModePreset", preset);
        if (!blank(form.getFirst("name"))) {
            body.put("name", form.getFirst("name").trim());
        }
        body.set("schedule", schedule(form));
        if (!blank(form.getFirst("namespaceDefinition"))) {
            body.put("namespaceDefinition", form.getFirst("namespaceDefinition"));
            if ("custom_format".equals(form.getFirst("namespaceDefinition"))) {
                body.put("namespaceFormat", form.getFirst("namespaceFormat"));
            }
        }
        if (!blank(form.getFirst("prefix"))) {
            body.put("prefix", form.getFirst("prefix").trim());
        }
        if (!blank(form.getFirst("schemaChangePolicy"))) {
            body.put("schemaChangePolicy", form.getFirst("schemaChangePolicy"));
        }
        body.put("backfillNewColumns", "on".equals(form.getFirst("backfillNewColumns")));
        ArrayNode streams = body.putArray("streams");
        SchemaDrafts.Draft draft = drafts.get(form.getFirst("draft"));
        JsonNode catalog;
        MultivaluedMap<String, String> values;
        if (draft != null) {
            draft.merge(form);
            catalog = draft.catalog();
            values = draft.values();
        } else {
            try {
                catalog = connectionService.sourceCatalog(sourceId).path("catalog");
            } catch (RuntimeException e) {
                return Response.ok(schemaPage(sourceId, destinationId, preset, "unknown", "", List.of(), NO_PAGING, "", List.of(), "", Map.of(),
                        ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
            }
            draft = drafts.create(catalog, destinationModes(connectionService, destinationId));
            draft.merge(form);
            values = form;
        }
        streamRequests(catalog, values, streams);
        try {
            ArrayNode tags = tickedTags(form);
            if (!tags.isEmpty()) {
                body.set("tags", tags);
            }
            JsonNode created = connectionService.createConnection(body);
            drafts.remove(draft.id());
            return setUp(connectionService, created.path("connectionId").asText(), tags, form);
        } catch (WebApplicationException e) {
            Map<String, String> errors = Problems.of(e).errorsOrDetail();
            List<ConsolePages.TagChoice> tags;
            String namespace;
            try {
                tags = ConsolePages.tagChoices(connectionService.tags(), form);
                namespace = namespace(connectionService.destinations(), destinationId);
            } catch (RuntimeException again) {
                return Response.status(400).entity(schemaPage(sourceId, destinationId, preset, "unknown", "", List.of(),
                        NO_PAGING, "", List.of(), "", errors, ConsolePages.unreachable("connection-service", services.connectionService().url(), again))).build();
            }
            return Response.status(400).entity(table(sourceId, destinationId, preset, draft, form.getFirst("q"),
                    (int) parseLong(form.getFirst("page"), 0), form.getFirst("name"), tags, namespace, errors,
                    Typed.of(form))).build();
        } catch (RuntimeException e) {
            return Response.ok(schemaPage(sourceId, destinationId, preset, "unknown", "", List.of(), NO_PAGING, "", List.of(), "", Map.of(),
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    /**
     * The streams of a POST or PATCH /connections from the Schema table's choices: every stream of the catalog, each
     * as chosen when it was shown, the source's defaults when it never was.
     */
    static void streamRequests(JsonNode catalog, MultivaluedMap<String, String> values, ArrayNode streams) {
        int n = catalog.path("streams").size();
        for (int i = 0; i < n; i++) {
            String k = "s" + i + ".";
            JsonNode stream = catalog.path("streams").get(i);
            ObjectNode s = streams.addObject().put("name", stream.path("name").asText());
            if (!blank(stream.path("namespace").asText(""))) {
                s.put("namespace", stream.path("namespace").asText());
            }
            if (values.getFirst(k + "touched") == null) {
                continue; // never shown: the source's defaults, by the preset
            }
            if (!blank(values.getFirst(k + SchemaDrafts.DESTINATION_NAME))) {
                s.put("destinationName", values.getFirst(k + SchemaDrafts.DESTINATION_NAME).trim());
            }
            s.put("selected", "on".equals(values.getFirst(k + "selected")));
            String mode = values.getFirst(k + "mode");
            if (mode != null && MODES.containsKey(mode)) {
                s.put("syncMode", mode.substring(0, mode.indexOf(':'))).put("destinationSyncMode", mode.substring(mode.indexOf(':') + 1));
            }
            if (!blank(values.getFirst(k + "cursor"))) {
                s.putArray("cursorField").add(values.getFirst(k + "cursor"));
            }
            if (values.getFirst(k + "fieldsShown") != null) {
                List<String> ticked = values.get(k + "field") == null ? List.of() : values.get(k + "field");
                List<List<String>> chosen = new ArrayList<>();
                boolean all = chosenFields(stream.path("fields"), "",
                        ticked, chosen);
                if (!all) {
                    ArrayNode selectedFields = s.putArray("selectedFields");
                    chosen.forEach(path -> {
                        ArrayNode a = selectedFields.addArray();
                        path.forEach(a::add);
                    });
                }
            }
            List<String> key = values.get(k + "key") == null ? List.of() : values.get(k + "key").stream().filter(v -> !blank(v)).toList();
            if (!key.isEmpty()) {
                ArrayNode pk = s.putArray("primaryKey");
                key.forEach(field -> pk.addArray().add(field)); // a composite key: one path per field
            }
        }
    }

    /** Whether the destination is a data activation one (it has objects to map onto) rather than a warehouse. */
    boolean activation(String destinationId) {
        try {
            connectionService.destinationObjects(destinationId);
            return true;
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** The destination's default namespace (its configured schema), for the live preview of the names. */
    static String namespace(JsonNode destinations, String destinationId) {
        for (JsonNode d : destinations) {
            if (d.path("destinationId").asText().equals(destinationId)) {
                return d.path("configuration").path("schema").asText(d.path("configuration").path("dataset").asText("public"));
            }
        }
        return "public";
    }

    /** The Schema table's rows: every stream selected, its modes, fields, cursor and key as the source defines them. */
    static List<StreamRow> rows(JsonNode catalog, String preset, MultivaluedMap<String, String> values, List<Integer> indexes,
                                List<String> destinationModes) {
        List<StreamRow> rows = new ArrayList<>();
        for (int i : indexes) {
            JsonNode s = catalog.path("streams").get(i);
            String k = "s" + i + ".";
            // a stream not shown yet has the source's defaults
            MultivaluedMap<String, String> form = values.getFirst(k + "touched") == null ? null : values;
            List<String> supported = new ArrayList<>();
            s.path("supportedSyncModes").forEach(m -> supported.add(m.asText()));
            String chosen = form == null ? null : form.getFirst(k + "mode");
            List<Mode> modes = new ArrayList<>();
            List<String> defaultCursor = new ArrayList<>();
            s.path("defaultCursorField").forEach(c -> defaultCursor.add(c.asText()));
            List<String> definedKey = new ArrayList<>();
            s.path("sourceDefinedPrimaryKey").forEach(pk -> definedKey.add(pk.path(0).asText()));
            String cursor = form != null && !blank(form.getFirst(k + "cursor")) ? form.getFirst(k + "cursor")
                    : defaultCursor.isEmpty() ? null : defaultCursor.getFirst();
            List<String> key = form != null && form.get(k + "key") != null ? form.get(k + "key") : definedKey;
            String replicate = destinationModes.isEmpty() ? "replicate source"
                    : label(resolve("replicate_source", supported, destinationModes, cursor != null, !key.isEmpty()));
            String history = destinationModes.isEmpty() ? "append historical changes"
                    : label(resolve("append_history", supported, destinationModes, cursor != null, !key.isEmpty()));
            modes.add(new Mode("", "By the answer above: " + (preset.equals("append_history") ? history : replicate),
                    chosen == null || chosen.isEmpty(), replicate, history));
            MODES.forEach((value, label) -> {
                if (supported.contains(value.substring(0, value.indexOf(':')))) {
                    modes.add(new Mode(value, label, value.equals(chosen), null, null));
                }
            });
            List<FieldChoice> fields = new ArrayList<>();
            for (JsonNode f : s.path("fields")) {
                String name = f.path("name").asText();
                fields.add(new FieldChoice(name, f.path("type").asText(), name.equals(cursor), key.contains(name)));
            }
            boolean selected = form == null || "on".equals(form.getFirst(k + "selected"));
            List<FieldBox> boxes = new ArrayList<>();
            List<String> ticked = form == null || form.getFirst(k + "fieldsShown") == null ? null
                    : form.get(k + "field") == null ? List.of() : form.get(k + "field");
            boxes(s.path("fields"), "", 0, ticked, boxes);
            rows.add(new StreamRow(i, s.path("namespace").asText(""), s.path("name").asText(), selected, modes, fields,
                    s.path("sourceDefinedCursor").asBoolean(false), !definedKey.isEmpty(), boxes,
                    (int) boxes.stream().filter(FieldBox::selected).count(),
                    form == null ? "" : java.util.Objects.requireNonNullElse(form.getFirst(k + SchemaDrafts.DESTINATION_NAME), ""),
                    key.isEmpty() ? likelyKey(s.path("name").asText(), fields) : null));
        }
        return rows;
    }


    /**
     * The mode a preset gives a stream, decided as connection-service's SyncModeResolver decides it (which the stack's
     * browser test checks against the connection it then creates): replicate source tries incremental | append +
     * deduped, full refresh | overwrite + deduped, full refresh | overwrite, incremental | append; append historical
     * changes tries incremental | append, then full refresh | append; a pair is skipped when the source or the
     * destination cannot do it, incremental without a cursor, deduped without a primary key. Null: none fits.
     */
    static String resolve(String preset, List<String> sourceModes, List<String> destinationModes, boolean hasCursor,
                          boolean hasKey) {
        List<String> order = preset.equals("append_history") ? List.of("incremental:append", "full_refresh:append")
                : List.of("incremental:append_dedup", "full_refresh:overwrite_dedup", "full_refresh:overwrite", "incremental:append");
        for (String m : order) {
            String sync = m.substring(0, m.indexOf(':'));
            String destination = m.substring(m.indexOf(':') + 1);
            if (sourceModes.contains(sync) && destinationModes.contains(destination)
                    && (!sync.equals("incremental") || hasCursor) && (!destination.endsWith("_dedup") || hasKey)) {
                return m;
            }
        }
        return null;
    }

    private static String label(String mode) {
        return mode == null ? "no mode fits: pick one" : MODES.get(mode);
    }

    /** The destination sync modes a destination writes (its connector's definition says); empty when unknown. */
    static List<String> destinationModes(ConnectionServiceClient connectionService, String destinationId) {
        try {
            String type = connectionService.actor("destinations", destinationId).path("destinationType").asText();
            for (JsonNode d : connectionService.definitions(null)) {
                if (d.path("id").asText().equals(type) && d.path("supportedDestinationSyncModes").size() > 0) {
                    List<String> modes = new ArrayList<>();
                    d.path("supportedDestinationSyncModes").forEach(m -> modes.add(m.asText()));
                    return modes;
                }
            }
        } catch (RuntimeException e) {
            // the preset's answer is then not shown per stream; connection-service still decides it
        }
        return List.of();
    }

    /**
     * The field most likely to be a stream's primary key when the source defines none: {@code id}, then the stream's
     * own id ({@code users} → {@code user_id} or {@code users_id}), then {@code uuid}/{@code key}, then the only field
     * ending in {@code _id}; null when nothing stands out.
     */
    static String likelyKey(String stream, List<FieldChoice> fields) {
        List<String> names = fields.stream().map(FieldChoice::name).toList();
        String singular = stream.endsWith("s") ? stream.substring(0, stream.length() - 1) : stream;
        for (String want : List.of("id", singular + "_id", stream + "_id", "uuid", "key")) {
            for (String n : names) {
                if (n.equalsIgnoreCase(want)) {
                    return n;
                }
            }
        }
        List<String> ids = names.stream().filter(n -> n.toLowerCase(java.util.Locale.ROOT).endsWith("_id")).toList();
        return ids.size() == 1 ? ids.getFirst() : null;
    }

    /** Every field path of a list of fields, nested ones as parent.child. */
    static void paths(JsonNode fields, String prefix, List<String> out) {
        for (JsonNode f : fields) {
            String path = prefix + f.path("name").asText();
            out.add(path);
            paths(f.path("fields"), path + ".", out);
        }
    }

    /** The checkboxes of a stream's fields, nested ones after their parent; all ticked unless the form says. */
    static void boxes(JsonNode fields, String prefix, int depth, List<String> ticked, List<FieldBox> out) {
        for (JsonNode f : fields) {
            String path = prefix + f.path("name").asText();
            out.add(new FieldBox(path, f.path("name").asText(), f.path("type").asText(), depth,
                    ticked == null || ticked.contains(path)));
            boxes(f.path("fields"), path + ".", depth + 1, ticked, out);
        }
    }

    /**
     * The field paths to sync, fewest first: a field ticked with everything under it is one path; otherwise its ticked
     * children are. Returns whether every field is ticked (then no selection is sent: the stream syncs every field).
     */
    static boolean chosenFields(JsonNode fields, String prefix, List<String> ticked, List<List<String>> out) {
        boolean all = true;
        for (JsonNode f : fields) {
            String path = prefix + f.path("name").asText();
            List<List<String>> under = new ArrayList<>();
            boolean everyChild = chosenFields(f.path("fields"), path + ".", ticked, under);
            if (ticked.contains(path) && everyChild) {
                out.add(List.of(path.split("\\.")));
            } else {
                all = false;
                out.addAll(under);
            }
        }
        return all;
    }

    /** The schedule the Configure connection form chose: manual, every N units, or cron with its time zone. */
    static ObjectNode schedule(MultivaluedMap<String, String> form) {
        String type = form.getFirst("scheduleType");
        ObjectNode schedule = JSON.createObjectNode().put("scheduleType", type == null ? "manual" : type);
        if ("basic".equals(type)) {
            schedule.put("basicUnits", parseLong(form.getFirst("basicUnits"), 24)).put("basicTimeUnit",
                    blank(form.getFirst("basicTimeUnit")) ? "hours" : form.getFirst("basicTimeUnit"));
            if (!blank(form.getFirst("basicStartTime"))) { // "from 02:00": the intervals start at that time each day
                schedule.put("basicStartTime", form.getFirst("basicStartTime").trim()).put("basicTimeZone",
                        blank(form.getFirst("basicTimeZone")) ? "UTC" : form.getFirst("basicTimeZone").trim());
            }
        } else if ("cron".equals(type)) {
            schedule.put("cronExpression", form.getFirst("cronExpression"))
                    .put("cronTimeZone", blank(form.getFirst("cronTimeZone")) ? "UTC" : form.getFirst("cronTimeZone"));
        }
        return schedule;
    }

    /** The tags ticked. */
    static ArrayNode tickedTags(MultivaluedMap<String, String> form) {
        ArrayNode ids = JSON.createArrayNode();
        if (form.get("tag") != null) {
            form.get("tag").stream().filter(ConsolePages::isUuid).distinct().forEach(ids::add);
        }
        return ids;
    }

    /**
     * After a setup was accepted: the new tag typed, if any, is created (or an existing one of that name reused) and
     * added, so a refused setup never leaves a tag behind; then to the connection's page.
     */
    static Response setUp(ConnectionServiceClient connectionService, String connectionId, ArrayNode ticked,
                          MultivaluedMap<String, String> form) {
        String notAdded = addNewTag(connectionService, connectionId, ticked, form);
        return ConsolePages.redirect("/connections/" + connectionId, notAdded == null ? "Connection set up."
                : "Connection set up, " + notAdded);
    }

    /**
     * The new tag typed, if any, made (or an existing one of that name reused) and added to the connection's tags
     * {@code ticked}, once the connection's own change was accepted: null when done or none was typed, else why not.
     */
    static String addNewTag(ConnectionServiceClient connectionService, String connectionId, ArrayNode ticked,
                            MultivaluedMap<String, String> form) {
        String name = form.getFirst("newTagName");
        if (blank(name)) {
            return null;
        }
        try {
            ArrayNode ids = ticked.deepCopy();
            ids.add(newTag(connectionService, name.trim(), form.getFirst("newTagColor")));
            ObjectNode changes = JSON.createObjectNode();
            changes.set("tags", ids);
            connectionService.update(connectionId, changes);
            return null;
        } catch (WebApplicationException e) {
            return "without the tag " + name.trim() + ": " + ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            // the connection exists: never an error page that would have the user set it up twice
            return "without the tag " + name.trim() + " (connection-service did not answer; add it on Settings)";
        }
    }

    /** The tag named so (case aside), or a new one with that colour: its id. */
    static String newTag(ConnectionServiceClient connectionService, String name, String color) {
        for (JsonNode t : connectionService.tags()) {
            if (t.path("name").asText().equalsIgnoreCase(name)) {
                return t.path("tagId").asText();
            }
        }
        return connectionService.createTag(JSON.createObjectNode().put("name", name)
                .put("color", blank(color) ? "#1E88E5" : color)).path("tagId").asText();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static long parseLong(String s, long otherwise) {
        try {
            return Long.parseLong(s.trim());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }
}
