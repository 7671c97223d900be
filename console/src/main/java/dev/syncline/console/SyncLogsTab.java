package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A data activation connection's Sync logs tab: which of the user's PostgreSQL databases gets
 * {@code syncline_audit.sync_runs}, {@code sync_changelog} and {@code sync_snapshot}, for how many days, and how far
 * the writing is behind (refreshed while the tab is open); the log is changed or turned off where it is shown.
 */
@Path("/connections/{id}/sync-logs")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class SyncLogsTab {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DATABASES = Set.of("postgres", "postgres-table", "duckdb");

    /** A destination the log can go to. */
    public record Choice(String id, String name, String type, boolean selected) { }

    /** The log as shown. */
    public record Log(boolean enabled, String destination, String retentionDays, long pendingBatches, long pendingOperations,
                      long lagSeconds, String writtenAt, long writtenOperations, String lastError, String lastErrorAt,
                      long setAsideBatches, String setAsideError, long droppedOperations) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(ConnectionPage.View connection, boolean activation, Log log, List<Choice> destinations,
                                            String retentionDays, Map<String, String> errors, String flash, String error);

        /** The log's live status alone: what the tab polls every 2 s (one call to sync-service, not the whole page). */
        static native TemplateInstance status(String connectionId, Log log, String problem);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    @RestClient
    SyncServiceClient syncService;

    @Inject
    ServiceUrls services;

    @GET
    @Authenticated
    public Response page(@PathParam("id") String id, @QueryParam("flash") String flash) {
        return render(id, null, null, Map.of(), flash, 200);
    }

    @GET
    @Authenticated
    @Path("status")
    public Response status(@PathParam("id") String id) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).build();
        }
        try {
            return Response.ok(Templates.status(id, log(syncService.syncLogs(id)), "")).build();
        } catch (WebApplicationException e) {
            return Response.ok(Templates.status(id, null, e.getResponse().getStatus() == 404
                    ? "sync-service has not received this connection yet: reload in a moment." : ConnectionPage.problem(e))).build();
        } catch (RuntimeException e) {
            return Response.ok(Templates.status(id, null, ConsolePages.unreachable("sync-service", services.syncService().url(), e)))
                    .build();
        }
    }

    /** The log as shown, from sync-service's answer. */
    private static Log log(JsonNode s) {
        return new Log(s.path("enabled").asBoolean(), s.path("destinationName").asText(s.path("destinationId").asText("")),
                s.path("retentionDays").isNull() ? "" : s.path("retentionDays").asText(""), s.path("pendingBatches").asLong(),
                s.path("pendingOperations").asLong(), s.path("lagSeconds").asLong(),
                ConnectionPage.time(s.path("writtenAt").asText("")), s.path("writtenOperations").asLong(),
                s.path("lastError").asText(""), ConnectionPage.time(s.path("lastErrorAt").asText("")),
                s.path("setAsideBatches").asLong(), s.path("setAsideError").asText(""), s.path("droppedOperations").asLong());
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("id") String id, MultivaluedMap<String, String> form) {
        if (!ConsolePages.isUuid(id)) {
            return ConsolePages.redirect("/connections", (String) null);
        }
        String destination = value(form, "destinationId");
        String days = value(form, "retentionDays").trim();
        ObjectNode body = JSON.createObjectNode().put("destinationId", destination);
        if (!days.isEmpty()) {
            try {
                body.put("retentionDays", Integer.parseInt(days));
            } catch (NumberFormatException e) {
                return render(id, destination, days, Map.of("retentionDays", "must be a whole number of days"), null, 400);
            }
        }
        try {
            syncService.saveSyncLogs(id, body);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 400) {
                return render(id, destination, days, Problems.of(e).errorsOrDetail(), null, 400);
            }
            return ConsolePages.redirect("/connections/" + id + "/sync-logs", ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            return render(id, destination, days, Map.of("", ConsolePages.unreachable("sync-service",
                    services.syncService().url(), e)), null, 503);
        }
        return ConsolePages.redirect("/connections/" + id + "/sync-logs",
                "Sync logs saved: the next sync's record operations are written to syncline_audit.");
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("off")
    public Response off(@PathParam("id") String id) {
        if (!ConsolePages.isUuid(id)) {
            return ConsolePages.redirect("/connections", (String) null);
        }
        String flash = "Sync logs turned off. The tables in your database stay as they are.";
        try {
            syncService.turnOffSyncLogs(id);
        } catch (WebApplicationException e) {
            flash = ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("sync-service", services.syncService().url(), e);
        }
        return ConsolePages.redirect("/connections/" + id + "/sync-logs", flash);
    }

    private Response render(String id, String typedDestination, String typedDays, Map<String, String> errors, String flash,
                            int status) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.page(null, false, null, List.of(), "", errors, null,
                    "There is no connection " + id + ".")).build();
        }
        JsonNode c;
        try {
            c = connectionService.connection(id);
        } catch (WebApplicationException e) {
            String error = e.getResponse().getStatus() == 404 ? "There is no connection " + id + "."
                    : ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
            return Response.status(e.getResponse().getStatus() == 404 ? 404 : 200)
                    .entity(Templates.page(null, false, null, List.of(), "", errors, null, error)).build();
        } catch (RuntimeException e) {
            return Response.ok(Templates.page(null, false, null, List.of(), "", errors, null,
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
        ConnectionPage.View view = ConnectionPage.view(connectionService, c);
        Log log = null;
        String problem = null;
        try {
            JsonNode s = syncService.syncLogs(id);
            log = log(s);
            if (typedDestination == null && log.enabled()) {
                typedDestination = s.path("destinationId").asText();
            }
            if (typedDays == null) {
                typedDays = log.retentionDays().isEmpty() ? "30" : log.retentionDays();
            }
        } catch (WebApplicationException e) {
            problem = e.getResponse().getStatus() == 404
                    ? "sync-service has not received this connection yet: reload in a moment."
                    : ConnectionPage.problem(e);
        } catch (RuntimeException e) {
            problem = ConsolePages.unreachable("sync-service", services.syncService().url(), e);
        }
        List<Choice> destinations = new ArrayList<>();
        try {
            for (JsonNode d : connectionService.destinations()) {
                String type = d.path("destinationType").asText();
                if (DATABASES.contains(type)) {
                    String did = d.path("destinationId").asText();
                    destinations.add(new Choice(did, d.path("name").asText(), type, did.equals(typedDestination)));
                }
            }
        } catch (RuntimeException e) {
            problem = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
        }
        if (problem != null && flash == null) {
            flash = problem;
        }
        return Response.status(status).entity(Templates.page(view, c.path("mappings").size() > 0, log, destinations, typedDays == null ? "30" : typedDays,
                errors, flash, null)).build();
    }

    private static String value(MultivaluedMap<String, String> form, String key) {
        String v = form.getFirst(key);
        return v == null ? "" : v;
    }
}
