package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * One connection: its settings at a glance, Sync now, Cancel, Enable and Disable, its streams' statuses and its
 * job history, refreshed when the job reports (server-sent events; every 5 s as a fallback while it runs): records, bytes
 * and rows/s per stream, live.
 */
@Path("/connections/{id}")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConnectionPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUNNING = Set.of("pending", "running", "incomplete");

    public record View(String id, String name, String status, String sourceId, String source, String destination,
                       String schedule, List<ConsolePages.TagView> tags) {
        /** Whether it syncs now: the header offers Disable, else Enable. */
        public boolean active() {
            return ConnectionStatus.fromWire(status).filter(ConnectionStatus::syncs).isPresent();
        }
    }

    /** A stream of a running job: its counts, bytes, rate, and how far along it is against the last succeeded sync. */
    public record StreamRow(String name, long read, long written, long rejected, String bytes, String rate, int percent) { }

    public record JobRow(long id, String type, String status, String requestedBy, String started, String duration,
                         long read, long written, long rejected, String bytes, int attempts, String failure, boolean running,
                         List<StreamRow> streams) { }

    /** A stream of the connection: its status and what can be done to it (refresh retain needs incremental). */
    public record StreamStatusRow(String namespace, String stream, String name, String status, String lastSynced,
                                  Long written, String message, boolean incremental) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance connection(View connection, List<StreamStatusRow> streams, List<JobRow> jobs,
                                                  boolean running, String flash, String error);
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
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.connection(null, List.of(), List.of(), false, null,
                    "There is no connection " + id + ".")).build();
        }
        View view = null;
        List<String> errors = new ArrayList<>();
        java.util.Map<String, Boolean> incremental = new java.util.LinkedHashMap<>();
        try {
            JsonNode c = connectionService.connection(id);
            view = view(connectionService, c);
            c.path("streams").forEach(st -> incremental.put(qualified(st.path("namespace"), st.path("name").asText()),
                    st.path("syncMode").asText().equals("incremental")));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Response.status(404).entity(Templates.connection(null, List.of(), List.of(), false, null,
                        "There is no connection " + id + ".")).build();
            }
            errors.add(ConsolePages.unreachable("connection-service", services.connectionService().url(), e));
        } catch (RuntimeException e) {
            errors.add(ConsolePages.unreachable("connection-service", services.connectionService().url(), e));
        }
        List<JobRow> jobs = new ArrayList<>();
        List<StreamStatusRow> streams = new ArrayList<>();
        try {
            JsonNode all = syncService.jobs(id, 20);
            java.util.Map<String, Long> lastRead = lastSucceededReads(all);
            for (JsonNode j : all) {
                jobs.add(job(j, lastRead));
            }
            for (JsonNode s : syncService.streamStatus(id)) {
                String name = qualified(s.path("namespace"), s.path("stream").asText());
                streams.add(new StreamStatusRow(s.path("namespace").asText(""), s.path("stream").asText(), name,
                        s.path("status").asText(), time(s.path("lastSyncedAt").asText("")),
                        s.path("recordsWritten").isNumber() ? s.path("recordsWritten").asLong() : null,
                        s.path("message").asText(null), incremental.getOrDefault(name, false)));
            }
        } catch (jakarta.ws.rs.WebApplicationException e) {
            // 404: sync-service has not heard of the connection yet (it was just created): no jobs so far
            if (e.getResponse().getStatus() != 404) {
                errors.add(ConsolePages.unreachable("sync-service", services.syncService().url(), e));
            }
        } catch (RuntimeException e) {
            errors.add(ConsolePages.unreachable("sync-service", services.syncService().url(), e));
        }
        boolean running = jobs.stream().anyMatch(JobRow::running);
        return Response.ok(Templates.connection(view, streams, jobs, running, flash,
                errors.isEmpty() ? null : String.join(" ", errors))).build();
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("sync")
    public Response sync(@PathParam("id") String id) {
        return act(id, () -> connectionService.sync(id), "Sync requested.");
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("cancel")
    public Response cancel(@PathParam("id") String id) {
        return act(id, () -> connectionService.cancel(id), "Cancel requested.");
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("enable")
    public Response enable(@PathParam("id") String id) {
        return act(id, () -> connectionService.update(id, JSON.createObjectNode().put("status", ConnectionStatus.ACTIVE.wireName())), "Enabled.");
    }

    /** Clear data: of one stream when the form names one, else of every stream. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("clear")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clear(@PathParam("id") String id, @jakarta.ws.rs.FormParam("stream") String stream,
                          @jakarta.ws.rs.FormParam("namespace") String namespace) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        streams(body, namespace, stream);
        return act(id, () -> connectionService.streamAction(id, "clear", body),
                stream == null || stream.isBlank() ? "Clearing every stream." : "Clearing " + stream + ".");
    }

    /** Refresh data: remove (drop what was synced) or retain (keep it, incremental streams only), of one stream or all. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("refresh")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response refresh(@PathParam("id") String id, @jakarta.ws.rs.FormParam("stream") String stream,
                            @jakarta.ws.rs.FormParam("namespace") String namespace, @jakarta.ws.rs.FormParam("mode") String mode) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("mode", "retain".equals(mode) ? "retain" : "remove");
        streams(body, namespace, stream);
        return act(id, () -> connectionService.streamAction(id, "refresh", body), (stream == null || stream.isBlank()
                ? "Refreshing every stream" : "Refreshing " + stream) + " (" + body.path("mode").asText() + " the records synced before).");
    }

    private static void streams(com.fasterxml.jackson.databind.node.ObjectNode body, String namespace, String stream) {
        if (stream != null && !stream.isBlank()) {
            com.fasterxml.jackson.databind.node.ObjectNode ref = body.putArray("streams").addObject().put("name", stream);
            if (namespace != null && !namespace.isBlank()) {
                ref.put("namespace", namespace);
            }
        }
    }

    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("disable")
    public Response disable(@PathParam("id") String id) {
        return act(id, () -> connectionService.update(id, JSON.createObjectNode().put("status", ConnectionStatus.INACTIVE.wireName())), "Disabled.");
    }

    /** Deletes the connection (it becomes deprecated: no more syncs, its history kept), then back to the list. */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    @Path("delete")
    public Response delete(@PathParam("id") String id) {
        if (!ConsolePages.isUuid(id)) {
            return act(id, () -> { }, "");
        }
        try {
            String name = connectionService.connection(id).path("name").asText(id);
            connectionService.deleteConnection(id);
            return ConsolePages.redirect("/connections", "Deleted " + name
                    + ". Its syncs stop; the data already synced stays in the destination.");
        } catch (WebApplicationException e) {
            return ConsolePages.redirect("/connections/" + id + "/settings", "Not deleted: " + problem(e));
        } catch (RuntimeException e) {
            return ConsolePages.redirect("/connections/" + id + "/settings",
                    ConsolePages.unreachable("connection-service", services.connectionService().url(), e));
        }
    }

    /** Does it, then back to the page (303) with what happened: the service's problem when it refused. */
    private Response act(String id, Runnable call, String done) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.connection(null, List.of(), List.of(), false, null,
                    "There is no connection " + id + ".")).build();
        }
        String flash;
        try {
            call.run();
            flash = done;
        } catch (WebApplicationException e) {
            flash = problem(e);
        } catch (RuntimeException e) {
            flash = ConsolePages.unreachable("connection-service", services.connectionService().url(), e);
        }
        return ConsolePages.redirect("/connections/" + id, flash);
    }

    /** What a problem+json answer says: its detail, or its title, or the status. */
    static String problem(WebApplicationException e) {
        return Problems.of(e).detail();
    }

    /** The header every tab shows: name, status, source → destination, schedule, tags with their colours. */
    static View view(ConnectionServiceClient connectionService, JsonNode c) {
        String source = c.path("sourceId").asText();
        String destination = c.path("destinationId").asText();
        try {
            source = connectionService.actor("sources", source).path("name").asText(source);
            destination = connectionService.actor("destinations", destination).path("name").asText(destination);
        } catch (WebApplicationException gone) {
            // a deleted source or destination: its id says which
        }
        return new View(c.path("connectionId").asText(), c.path("name").asText(), c.path("status").asText(),
                c.path("sourceId").asText(), source, destination,
                ConsolePages.schedule(c.path("schedule")), ConsolePages.tagViews(c.path("tags"),
                        ConsolePages.tags(connectionService.tags())));
    }

    /** Per stream, the records the newest succeeded sync read: what a running one's progress is measured against. */
    private static java.util.Map<String, Long> lastSucceededReads(JsonNode jobs) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        for (JsonNode j : jobs) {
            if (j.path("status").asText().equals("succeeded") && out.isEmpty()) {
                j.path("streams").forEach(s -> out.put(qualified(s.path("namespace"), s.path("stream").asText()),
                        s.path("recordsRead").asLong()));
            }
        }
        return out;
    }

    private static JobRow job(JsonNode j, java.util.Map<String, Long> lastRead) {
        String started = j.path("startedAt").asText(j.path("createdAt").asText(""));
        double seconds = 0;
        try {
            seconds = java.time.Duration.between(java.time.OffsetDateTime.parse(started), java.time.OffsetDateTime.now()).toMillis() / 1000.0;
        } catch (RuntimeException notStarted) {
            // pending: no rate yet
        }
        List<StreamRow> streams = new ArrayList<>();
        for (JsonNode s : j.path("streams")) {
            String name = qualified(s.path("namespace"), s.path("stream").asText());
            long read = s.path("recordsRead").asLong();
            Long before = lastRead.get(name);
            int percent = before == null || before == 0 ? -1 : (int) Math.min(99, read * 100 / before);
            streams.add(new StreamRow(name, read, s.path("recordsWritten").asLong(), s.path("recordsRejected").asLong(),
                    bytes(s.path("bytesRead").asLong()), seconds > 0 ? String.format("%,.0f records/s", read / seconds) : "",
                    percent));
        }
        String duration = j.path("durationMillis").isNumber()
                ? String.format("%.1f s", j.path("durationMillis").asLong() / 1000.0) : "";
        return new JobRow(j.path("jobId").asLong(), j.path("jobType").asText(), j.path("status").asText(),
                j.path("requestedBy").asText(), time(started), duration,
                j.path("recordsRead").asLong(), j.path("recordsWritten").asLong(), j.path("recordsRejected").asLong(),
                bytes(j.path("bytesRead").asLong()), j.path("attemptCount").asInt(),
                j.path("failure").path("message").asText(null), RUNNING.contains(j.path("status").asText()), streams);
    }

    static String time(String iso) {
        return iso.replace('T', ' ').replaceAll("\\.\\d+", "");
    }

    static String bytes(long b) {
        return b < 1024 ? b + " B" : b < 1024 * 1024 ? String.format("%.1f KiB", b / 1024.0) : String.format("%.1f MiB", b / 1048576.0);
    }

    private static String qualified(JsonNode namespace, String stream) {
        return namespace.isTextual() && !namespace.asText().isEmpty() ? namespace.asText() + "." + stream : stream;
    }


}
