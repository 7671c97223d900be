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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Adding a source or a destination: pick a connector, then a form generated from its spec (JSON Schema: types,
 * enums, defaults, required; secret settings are password inputs, never pre-filled). The API's field errors show
 * beside their fields; "Test connection" asks for a real check.
 */
@Path("/{kind: sources|destinations}")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ActorForms {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A connector to pick. */
    public record Connector(String id, String name, String kind) { }

    /** One input of the form. */
    public record Input(String key, String title, String description, String input, boolean required, boolean secret,
                        String value, List<String> options, String error) { }

    /** A source or a destination as its list shows it. */
    public record ActorRow(String id, String name, String type, String check, String checkMessage) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance actors(String title, String kind, List<ActorRow> actors, String flash, String error);

        static native TemplateInstance formPage(String kind, String noun, String id, List<Connector> connectors, String type,
                                            String typeName, String name, String nameError, List<Input> inputs,
                                            List<String> errors, String error);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    /** The list, with each one's last check. */
    @GET
    @Authenticated
    public TemplateInstance list(@PathParam("kind") String kind, @QueryParam("flash") String flash) {
        String noun = noun(kind);
        List<ActorRow> rows = new ArrayList<>();
        String error = null;
        try {
            JsonNode list = kind.equals("sources") ? connectionService.sources() : connectionService.destinations();
            for (JsonNode a : list) {
                rows.add(new ActorRow(a.path(noun + "Id").asText(), a.path("name").asText(), a.path(noun + "Type").asText(),
                        a.path("check").path("status").asText("not checked"), a.path("check").path("message").asText("")));
            }
        } catch (RuntimeException e) {
            error = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
        }
        return Templates.actors(kind.equals("sources") ? "Sources" : "Destinations", noun, rows, flash, error);
    }

    /**
     * A source or destination being added from "New connection" ("add one"): once created, the user goes back to the
     * flow with it chosen, and with {@code keep} (the other side's id, already chosen there) chosen again. Only ever a
     * path into the console's own flow: no address given by a link is followed.
     */
    public record Flow(boolean active, String keep) {
        static final Flow NONE = new Flow(false, "");

        static Flow of(String flow, String keep) {
            return "connection".equals(flow) ? new Flow(true, ConsolePages.isUuid(keep) ? keep : "") : NONE;
        }

        /** The link's query that carries the flow on (empty when there is none). */
        public String query() {
            return active ? "&flow=connection" + (keep.isEmpty() ? "" : "&keep=" + keep) : "";
        }
    }

    /** The form page; {@code flow} says where a created one goes next (set by the pages that create). */
    static TemplateInstance form(String kind, String noun, String id, List<Connector> connectors, String type, String typeName,
                                 String name, String nameError, List<Input> inputs, List<String> errors, String error) {
        return Templates.formPage(kind, noun, id, connectors, type, typeName, name, nameError, inputs, errors, error)
                .data("flow", Flow.NONE);
    }

    @GET
    @Authenticated
    @Path("new")
    public TemplateInstance form(@PathParam("kind") String kind, @QueryParam("type") String type,
                                 @QueryParam("flow") String flowName, @QueryParam("keep") String keep) {
        Flow flow = Flow.of(flowName, keep);
        return newForm(kind, type).data("flow", flow);
    }

    private TemplateInstance newForm(String kind, String type) {
        try {
            List<JsonNode> definitions = definitions(kind);
            List<Connector> connectors = connectors(definitions);
            JsonNode definition = definition(definitions, type);
            if (definition == null) {
                return form(kind, noun(kind), null, connectors, null, null, "", null, List.of(), List.of(), null);
            }
            return form(kind, noun(kind), null, connectors, type, definition.path("name").asText(), "", null,
                    inputs(definition.path("spec"), Map.of(), Map.of()), List.of(), null);
        } catch (RuntimeException e) {
            return form(kind, noun(kind), null, List.of(), null, null, "", null, List.of(), List.of(),
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e));
        }
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@PathParam("kind") String kind, MultivaluedMap<String, String> form) {
        Flow flow = Flow.of(form.getFirst("flow"), form.getFirst("keep"));
        Response r = created(kind, form, flow);
        if (r.getEntity() instanceof TemplateInstance t) {
            t.data("flow", flow);
        }
        return r;
    }

    private Response created(String kind, MultivaluedMap<String, String> form, Flow flow) {
        String type = form.getFirst("type");
        String name = form.getFirst("name") == null ? "" : form.getFirst("name").trim();
        JsonNode definition;
        List<JsonNode> definitions;
        try {
            definitions = definitions(kind);
            definition = definition(definitions, type);
        } catch (RuntimeException e) {
            return Response.ok(form(kind, noun(kind), null, List.of(), null, null, name, null, List.of(), List.of(),
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
        if (definition == null) {
            return Response.seeOther(java.net.URI.create("/" + kind + "/new?" + flow.query())).build(); // pick a connector first
        }
        JsonNode spec = definition.path("spec");
        Map<String, String> values = typed(form);
        ObjectNode body = JSON.createObjectNode().put("name", name).put(kind.equals("sources") ? "sourceType" : "destinationType", type);
        body.set("configuration", configuration(spec, values));
        try {
            JsonNode created = connectionService.create(kind, body);
            String id = created.path(kind.equals("sources") ? "sourceId" : "destinationId").asText();
            if (flow.active()) { // back to "New connection" with it chosen, and the other side kept
                Map<String, String> query = new LinkedHashMap<>();
                query.put(kind.equals("sources") ? "sourceId" : "destinationId", id);
                query.put(kind.equals("sources") ? "destinationId" : "sourceId", flow.keep().isEmpty() ? null : flow.keep());
                query.put("flash", "Created " + name + ", chosen below.");
                return ConsolePages.redirect("/connections/new", query);
            }
            return ConsolePages.redirect("/" + kind, "Created " + name + ". Testing the connection: its result shows below.");
        } catch (WebApplicationException e) {
            return refused(kind, null, connectors(definitions), definition, name, values, e);
        } catch (RuntimeException e) {
            return Response.ok(form(kind, noun(kind), null, List.of(), type, definition.path("name").asText(), name, null,
                    inputs(spec, values, Map.of()), List.of(), ConsolePages.unreachable("connection-service",
                            services.connectionService().url(), e))).build();
        }
    }

    /** The edit page: the form filled with the stored settings (a secret stays empty: left so, it keeps its value). */
    @GET
    @Authenticated
    @Path("{id}/edit")
    public Response edit(@PathParam("kind") String kind, @PathParam("id") String id) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(form(kind, noun(kind), null, List.of(), null, null, "", null,
                    List.of(), List.of(), "There is no " + noun(kind) + " " + id + ".")).build();
        }
        try {
            JsonNode actor = connectionService.actor(kind, id);
            String type = actor.path(noun(kind) + "Type").asText();
            JsonNode definition = definition(definitions(kind), type);
            if (definition == null) {
                return Response.ok(form(kind, noun(kind), id, List.of(), null, null, actor.path("name").asText(),
                        null, List.of(), List.of(), "Its connector " + type + " is no longer installed.")).build();
            }
            Map<String, String> stored = new LinkedHashMap<>();
            actor.path("configuration").properties().forEach(e -> stored.put(e.getKey(), text(e.getValue(),
                    definition.path("spec").path("properties").path(e.getKey()).path("type").asText("string"))));
            return Response.ok(form(kind, noun(kind), id, List.of(), type, definition.path("name").asText(),
                    actor.path("name").asText(), null, inputs(definition.path("spec"), stored, Map.of()), List.of(), null))
                    .build();
        } catch (WebApplicationException e) {
            return Response.status(e.getResponse().getStatus() == 404 ? 404 : 502).entity(form(kind, noun(kind),
                    null, List.of(), null, null, "", null, List.of(), List.of(), ConnectionPage.problem(e))).build();
        } catch (RuntimeException e) {
            return Response.status(502).entity(form(kind, noun(kind), null, List.of(), null, null, "", null,
                    List.of(), List.of(), ConsolePages.unreachable("connection-service", services.connectionService().url(), e)))
                    .build();
        }
    }

    /**
     * Saves the edit page: name and settings (PATCH); a secret left empty is sent masked, so it keeps its stored value.
     * The service checks the connection again; a refusal comes back as typed, each error beside its field.
     */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("kind") String kind, @PathParam("id") String id, MultivaluedMap<String, String> form) {
        String name = form.getFirst("name") == null ? "" : form.getFirst("name").trim();
        Map<String, String> values = typed(form);
        if (!ConsolePages.isUuid(id)) {
            return ConsolePages.redirect("/" + kind, "There is no " + noun(kind) + " " + id + ".");
        }
        JsonNode actor;
        JsonNode definition;
        try {
            // the stored actor's connector, never the form's: its spec says which settings exist and which are secret
            actor = connectionService.actor(kind, id);
            definition = definition(definitions(kind), actor.path(noun(kind) + "Type").asText());
        } catch (WebApplicationException e) {
            return ConsolePages.redirect("/" + kind, e.getResponse().getStatus() == 404
                    ? "There is no " + noun(kind) + " " + id + "." : ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            return Response.status(502).entity(form(kind, noun(kind), id, List.of(), null, null, name, null,
                    List.of(), List.of(), ConsolePages.unreachable("connection-service", services.connectionService().url(), e)))
                    .build();
        }
        if (definition == null) {
            return ConsolePages.redirect("/" + kind, "Its connector " + actor.path(noun(kind) + "Type").asText()
                    + " is no longer installed.");
        }
        JsonNode spec = definition.path("spec");
        ObjectNode configuration = configuration(spec, values);
        // a secret left empty keeps the stored one (sent masked), if there is one
        JsonNode stored = actor.path("configuration");
        spec.path("properties").properties().forEach(e -> {
            if (e.getValue().path("secret").asBoolean(false) && values.getOrDefault(e.getKey(), "").isEmpty()
                    && stored.has(e.getKey())) {
                configuration.put(e.getKey(), MASKED);
            }
        });
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.set("configuration", configuration);
        try {
            connectionService.updateActor(kind, id, body);
            return ConsolePages.redirect("/" + kind, "Saved " + name + ". Testing the connection again: its result shows below.");
        } catch (WebApplicationException e) {
            return refused(kind, id, List.of(), definition, name, values, e);
        } catch (RuntimeException e) {
            return Response.status(502).entity(form(kind, noun(kind), id, List.of(), definition.path("id").asText(),
                    definition.path("name").asText(), name, null, inputs(spec, values, secretsTypedAgain(spec, values)),
                    List.of(), ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    /** Deletes it; while a connection uses it, the service's 409 (naming the connections) is shown as it is. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("{id}/delete")
    public Response delete(@PathParam("kind") String kind, @PathParam("id") String id) {
        return then(kind, id, "Not deleted: ", () -> {
            String name = connectionService.actor(kind, id).path("name").asText(id);
            connectionService.deleteActor(kind, id);
            return "Deleted " + name + ".";
        });
    }

    /** Asks for a new schema discovery of a source: the Retry a failed discovery leads to. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("{id}/discover")
    public Response discover(@PathParam("kind") String kind, @PathParam("id") String id) {
        return then(kind, id, "", () -> {
            if (!kind.equals("sources")) {
                throw new WebApplicationException(404);
            }
            connectionService.discover(id);
            return "Discovering the schema again.";
        });
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("{id}/check")
    public Response check(@PathParam("kind") String kind, @PathParam("id") String id) {
        return then(kind, id, "", () -> {
            connectionService.check(kind, id);
            return "Testing the connection: its result shows below.";
        });
    }

    /** Does it, then back to the list (303) saying what happened: the service's problem (after {@code refused}) if it said no. */
    private Response then(String kind, String id, String refused, java.util.function.Supplier<String> call) {
        String flash;
        if (!ConsolePages.isUuid(id)) {
            flash = "There is no " + noun(kind) + " " + id + ".";
        } else {
            try {
                flash = call.get();
            } catch (WebApplicationException e) {
                flash = e.getResponse().getStatus() == 404 ? "There is no " + noun(kind) + " " + id + "."
                        : refused + ConnectionPage.problem(e);
            } catch (RuntimeException e) {
                flash = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
            }
        }
        return ConsolePages.redirect("/" + kind, flash);
    }

    /** The connector definitions of this kind: sources, or ELT and activation destinations (one request each). */
    private List<JsonNode> definitions(String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (String k : kind.equals("sources") ? List.of("source") : List.of("elt", "activation")) {
            connectionService.definitions(k).forEach(out::add);
        }
        return out;
    }

    private static List<Connector> connectors(List<JsonNode> definitions) {
        return definitions.stream().map(d -> new Connector(d.path("id").asText(), d.path("name").asText(),
                d.path("kind").asText())).toList();
    }

    private static JsonNode definition(List<JsonNode> definitions, String type) {
        return type == null || type.isBlank() ? null
                : definitions.stream().filter(d -> d.path("id").asText().equals(type)).findFirst().orElse(null);
    }

    /** The form's inputs, from the spec's properties in order, with what was typed (never a secret) and the errors. */
    static List<Input> inputs(JsonNode spec, Map<String, String> typed, Map<String, String> errors) {
        Set<String> required = new HashSet<>();
        spec.path("required").forEach(r -> required.add(r.asText()));
        List<Input> inputs = new ArrayList<>();
        spec.path("properties").properties().forEach(e -> {
            String key = e.getKey();
            JsonNode p = e.getValue();
            boolean secret = p.path("secret").asBoolean(false);
            List<String> options = new ArrayList<>();
            p.path("enum").forEach(o -> options.add(o.asText()));
            String type = p.path("type").asText("string");
            String input = secret ? "password" : !options.isEmpty() ? "select" : switch (type) {
                case "integer", "number" -> "number";
                case "boolean" -> "checkbox";
                case "array", "object" -> "textarea";
                default -> "text";
            };
            String value = secret ? "" : typed.containsKey(key) ? typed.get(key) : p.has("default") ? text(p.get("default"), type) : "";
            if (type.equals("boolean") && "on".equals(value)) {
                value = "true"; // a box ticked in a form that came back
            }
            inputs.add(new Input(key, p.path("title").asText(key), p.path("description").asText(""), input, required.contains(key),
                    secret, value, options, errors.get(key)));
        });
        return inputs;
    }

    private static String text(JsonNode v, String type) {
        if (type.equals("array") && v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.isTextual() ? i.asText() : i.toString()));
            return String.join("\n", items);
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** The configuration JSON from what was typed, by the spec's types; what does not parse goes as typed, for the API to name. */
    static ObjectNode configuration(JsonNode spec, Map<String, String> typed) {
        ObjectNode config = JSON.createObjectNode();
        JsonNode properties = spec.path("properties");
        properties.properties().forEach(e -> {
            String key = e.getKey();
            String type = e.getValue().path("type").asText("string");
            String v = typed.get(key);
            if (type.equals("boolean")) {
                // each box is followed by a hidden "false": ticked, the first value is "on"; unticked, "false"
                // (a post without either, from elsewhere than the form, leaves the default to apply)
                if (v != null) {
                    config.put(key, v.equals("on") || v.equals("true"));
                } else if (!e.getValue().has("default")) {
                    config.put(key, false);
                }
                return;
            }
            if (v == null || v.isBlank()) {
                return; // the default applies, or the API says it is required
            }
            switch (type) {
                case "integer" -> {
                    try {
                        config.put(key, Long.parseLong(v.trim()));
                    } catch (NumberFormatException ex) {
                        config.put(key, v);
                    }
                }
                case "number" -> {
                    try {
                        config.put(key, new BigDecimal(v.trim()));
                    } catch (NumberFormatException ex) {
                        config.put(key, v);
                    }
                }
                case "array" -> {
                    ArrayNode items = config.putArray(key);
                    if (v.trim().startsWith("[")) {
                        try {
                            JSON.readTree(v).forEach(items::add);
                            return;
                        } catch (java.io.IOException ex) {
                            config.put(key, v);
                            return;
                        }
                    }
                    for (String item : v.split("\\R|,")) {
                        if (!item.isBlank()) {
                            items.add(item.trim());
                        }
                    }
                }
                case "object" -> {
                    try {
                        config.set(key, JSON.readTree(v));
                    } catch (java.io.IOException ex) {
                        config.put(key, v);
                    }
                }
                default -> config.put(key, v);
            }
        });
        // the form's inputs come from the spec: anything else is not sent
        return config;
    }

    /**
     * A secret typed in a form that comes back (refused, or the service away) is never sent back to the page: each
     * says so beside its input, or the next save would quietly keep the old one.
     */
    static Map<String, String> secretsTypedAgain(JsonNode spec, Map<String, String> typed) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.path("properties").properties().forEach(e -> {
            if (e.getValue().path("secret").asBoolean(false) && !typed.getOrDefault(e.getKey(), "").isEmpty()) {
                out.put(e.getKey(), "type it again: a secret is never sent back to the page");
            }
        });
        return out;
    }

    /** What a secret sent back to the API looks like when it should keep its stored value. */
    static final String MASKED = "**********";

    /** The settings as typed ({@code cfg.} inputs). */
    static Map<String, String> typed(MultivaluedMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("cfg.") && !v.isEmpty()) {
                values.put(k.substring(4), v.getFirst());
            }
        });
        return values;
    }

    /**
     * The form again as it was sent, with the API's errors beside their fields (the rest above the form);
     * {@code connectors}: the definitions already fetched (none on an edit page).
     */
    private Response refused(String kind, String id, List<Connector> connectors, JsonNode definition, String name,
                             Map<String, String> values, WebApplicationException e) {
        Map<String, String> fieldErrors = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        Problems problem = Problems.of(e);
        problem.errors().forEach((field, message) -> {
            if (field.startsWith("configuration.")) {
                fieldErrors.merge(field.substring("configuration.".length()).replaceAll("[.\\[].*", ""), message,
                        (a, b) -> a + "; " + b);
            } else if (!field.equals("name")) {
                others.add((field.isEmpty() ? "" : field + ": ") + message);
            }
        });
        if (problem.errors().isEmpty()) {
            others.add(problem.detail());
        }
        secretsTypedAgain(definition.path("spec"), values).forEach((k, m) -> fieldErrors.merge(k, m, (a, b) -> a + "; " + b));
        return Response.status(e.getResponse().getStatus() >= 500 ? 502 : 400).entity(form(kind, noun(kind), id,
                connectors, definition.path("id").asText(), definition.path("name").asText(), name,
                problem.errors().get("name"), inputs(definition.path("spec"), values, fieldErrors), others, null)).build();
    }

    private static String noun(String kind) {
        return kind.equals("sources") ? "source" : "destination";
    }
}
