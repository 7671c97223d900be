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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A connection's Notifications tab: the alert rules that apply to it (its own and those of every connection), each
 * changed, tested or deleted where it is shown, a form to add one, and the delivery log, refreshed while it is open.
 */
@Path("/connections/{id}/notifications")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class NotificationsTab {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The events a rule can ask for, in the words of the page. */
    public record EventChoice(String value, String label) { }

    static final List<EventChoice> EVENTS = List.of(new EventChoice("sync_failed", "Sync failed"),
            new EventChoice("sync_recovered", "Sync recovered"),
            new EventChoice("rejected_records", "Rejected records over a share of a run"),
            new EventChoice("breaking_schema_change", "Breaking schema change"),
            new EventChoice("connection_paused", "Connection paused"));

    /** One rule as shown. */
    public record Rule(String id, String name, String url, String format, boolean signed, List<String> events,
                       String rejectedPercent, boolean forAll, boolean fromConnectionField, String newUrl,
                       List<String> firing) {
        public boolean has(String event) {
            return events.contains(event);
        }
    }

    /** One delivery as shown. */
    public record Delivery(String at, String event, String rule, String summary, String status, int attempts,
                           String lastStatus, String lastError, boolean test) { }

    /** What the add form held when it was refused (never the secret). */
    public record Typed(String name, String url, String format, List<String> events, String rejectedPercent, boolean forAll) {
        static final Typed EMPTY = new Typed("", "", "json", List.of("sync_failed", "sync_recovered", "rejected_records",
                "breaking_schema_change", "connection_paused"), "10", false);

        public boolean has(String event) {
            return events.contains(event);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(ConnectionPage.View connection, List<Rule> rules, List<Delivery> deliveries,
                                            List<EventChoice> events, Typed typed, Map<String, String> errors,
                                            String editing, Map<String, String> editErrors, String flash, String error);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    @GET
    @Authenticated
    public Response page(@PathParam("id") String id, @QueryParam("flash") String flash) {
        return render(id, Typed.EMPTY, Map.of(), null, Map.of(), null, flash, 200);
    }

    /** Add a rule: this connection's, or every connection's. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        if (!ConsolePages.isUuid(id)) {
            return ConsolePages.redirect("/connections", (String) null);
        }
        ObjectNode body = rule(form, true);
        boolean forAll = "on".equals(form.getFirst("forAll"));
        try {
            if (forAll) {
                connectionService.addNotificationRuleForAll(body);
            } else {
                connectionService.addNotificationRule(id, body);
            }
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 400) {
                Typed typed = new Typed(value(form, "name"), value(form, "url"), value(form, "format"), events(form),
                        value(form, "rejectedPercent"), forAll);
                return render(id, typed, Problems.of(e).errorsOrDetail(), null, Map.of(), null, null, 400);
            }
            return ConsolePages.redirect("/connections/" + id + "/notifications", ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            Typed typed = new Typed(value(form, "name"), value(form, "url"), value(form, "format"), events(form),
                    value(form, "rejectedPercent"), forAll);
            return render(id, typed, Map.of("", ConsolePages.unreachable("connection-service",
                    services.connectionService().url(), e)), null, Map.of(), null, null, 503);
        }
        return ConsolePages.redirect("/connections/" + id + "/notifications", "Notification rule added"
                + (forAll ? " for every connection." : "."));
    }

    /** Change a rule where it is shown: name, URL (left empty: kept), format, events, share, secret. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("rules/{ruleId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change(@PathParam("id") String id, @PathParam("ruleId") String ruleId, MultivaluedMap<String, String> form) {
        if (!ConsolePages.isUuid(id) || !ConsolePages.isUuid(ruleId)) {
            return ConsolePages.redirect("/connections", (String) null);
        }
        ObjectNode body = rule(form, false);
        if ("on".equals(form.getFirst("removeSecret"))) {
            body.put("secret", "");
        }
        // what was typed into the rule's card comes back into it when the change is refused
        Typed typed = new Typed(value(form, "name"), value(form, "url"), value(form, "format"), events(form),
                value(form, "rejectedPercent"), false);
        try {
            connectionService.changeNotificationRule(ruleId, body);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 400) {
                return render(id, Typed.EMPTY, Map.of(), ruleId, Problems.of(e).errorsOrDetail(), typed, null, 400);
            }
            return ConsolePages.redirect("/connections/" + id + "/notifications", ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            return render(id, Typed.EMPTY, Map.of(), ruleId, Map.of("", ConsolePages.unreachable("connection-service",
                    services.connectionService().url(), e)), typed, null, 503);
        }
        return ConsolePages.redirect("/connections/" + id + "/notifications", "Notification rule saved.");
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("rules/{ruleId}/delete")
    public Response delete(@PathParam("id") String id, @PathParam("ruleId") String ruleId) {
        return act(id, ruleId, () -> connectionService.deleteNotificationRule(ruleId), "Notification rule deleted.");
    }

    /** Send test: queued at once; the log below shows it arrive (or why not). */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("rules/{ruleId}/test")
    public Response test(@PathParam("id") String id, @PathParam("ruleId") String ruleId) {
        return act(id, ruleId, () -> connectionService.testNotificationRule(ruleId, id),
                "Test notification queued: it shows in the log below once sent.");
    }

    private Response act(String id, String ruleId, Runnable call, String done) {
        if (!ConsolePages.isUuid(id) || !ConsolePages.isUuid(ruleId)) {
            return ConsolePages.redirect("/connections", (String) null);
        }
        String flash = done;
        try {
            call.run();
        } catch (WebApplicationException e) {
            flash = ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
        }
        return ConsolePages.redirect("/connections/" + id + "/notifications", flash);
    }

    /** The request for a rule from its form: empty fields are left out (a change keeps them; a new rule gets defaults). */
    static ObjectNode rule(MultivaluedMap<String, String> form, boolean creating) {
        ObjectNode body = JSON.createObjectNode();
        for (String f : List.of("name", "url", "format", "secret")) {
            String v = value(form, f).trim();
            if (!v.isEmpty()) {
                body.put(f, v);
            }
        }
        ArrayNode events = body.putArray("events");
        events(form).forEach(events::add);
        String percent = value(form, "rejectedPercent").trim();
        if (!percent.isEmpty()) {
            try {
                body.put("rejectedPercent", new java.math.BigDecimal(percent));
            } catch (NumberFormatException e) {
                body.put("rejectedPercent", percent); // the service says what is wrong with it
            }
        }
        if (!creating && !body.has("url")) {
            body.remove("url");
        }
        return body;
    }

    private Response render(String id, Typed typed, Map<String, String> errors, String editing, Map<String, String> editErrors,
                            Typed editTyped, String flash, int status) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.page(null, List.of(), List.of(), EVENTS, typed, errors, null,
                    Map.of(), null, "There is no connection " + id + ".")).build();
        }
        try {
            JsonNode c = connectionService.connection(id);
            List<Rule> rules = new ArrayList<>();
            for (JsonNode r : connectionService.notificationRules(id)) {
                List<String> events = new ArrayList<>();
                r.path("events").forEach(e -> events.add(e.asText()));
                List<String> firing = new ArrayList<>();
                for (JsonNode f : r.path("firing")) {
                    firing.add((f.path("condition").asText().equals("sync_failed") ? "failing since "
                            : "rejecting over the share since ") + ConnectionPage.time(f.path("since").asText("")));
                }
                Rule rule = new Rule(r.path("ruleId").asText(), r.path("name").asText(), r.path("url").asText(),
                        r.path("format").asText("json"), r.path("signed").asBoolean(), events,
                        r.path("rejectedPercent").isNull() ? "" : r.path("rejectedPercent").asText(),
                        r.path("appliesToAllConnections").asBoolean(), r.path("fromConnectionField").asBoolean(), "", firing);
                if (editTyped != null && rule.id().equals(editing)) {
                    rule = new Rule(rule.id(), editTyped.name(), rule.url(), editTyped.format().isEmpty() ? rule.format()
                            : editTyped.format(), rule.signed(), editTyped.events(), editTyped.rejectedPercent(), rule.forAll(),
                            rule.fromConnectionField(), editTyped.url(), rule.firing());
                }
                rules.add(rule);
            }
            List<Delivery> deliveries = new ArrayList<>();
            for (JsonNode d : connectionService.notifications(id, 30)) {
                deliveries.add(new Delivery(ConnectionPage.time(d.path("createdAt").asText("")), d.path("event").asText(),
                        d.path("ruleName").asText(), d.path("summary").asText(), d.path("status").asText(),
                        d.path("attempts").asInt(), d.path("lastStatus").isNull() ? "" : d.path("lastStatus").asText(),
                        d.path("lastError").asText(""), d.path("test").asBoolean()));
            }
            return Response.status(status).entity(Templates.page(ConnectionPage.view(connectionService, c), rules, deliveries,
                    EVENTS, typed, errors, editing, editErrors, flash, null)).build();
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Response.status(404).entity(Templates.page(null, List.of(), List.of(), EVENTS, typed, errors, null,
                        Map.of(), null, "There is no connection " + id + ".")).build();
            }
            return Response.ok(Templates.page(null, List.of(), List.of(), EVENTS, typed, errors, null, Map.of(), null,
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        } catch (RuntimeException e) {
            return Response.ok(Templates.page(null, List.of(), List.of(), EVENTS, typed, errors, null, Map.of(), null,
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
    }

    private static List<String> events(MultivaluedMap<String, String> form) {
        List<String> out = form.get("events");
        return out == null ? List.of() : List.copyOf(out);
    }

    private static String value(MultivaluedMap<String, String> form, String key) {
        String v = form.getFirst(key);
        return v == null ? "" : v;
    }
}
