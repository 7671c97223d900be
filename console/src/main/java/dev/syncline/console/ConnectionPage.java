package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * One connection: its settings at a glance, Sync now, Cancel, Enable and Disable, its streams' statuses and its
 * job history, refreshed every 2 s while a job runs (records read, written and rejected per stream, live).
 */
@Path("/connections/{id}")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConnectionPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUNNING = Set.of("pending", "running", "incomplete");

    public record View(String id, String name, String status, String source, String destination, String schedule,
                       List<String> tags) { }

    public record StreamRow(String name, long read, long written, long rejected) { }

    public record JobRow(long id, String type, String status, String requestedBy, String started, String duration,
                         long read, long written, long rejected, String failure, boolean running, List<StreamRow> streams) { }

    public record StreamStatusRow(String name, String status) { }

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

    @ConfigProperty(name = "quarkus.rest-client.connection-service.url")
    String connectionServiceUrl;

    @ConfigProperty(name = "quarkus.rest-client.sync-service.url")
    String syncServiceUrl;

    @GET
    public Response page(@PathParam("id") String id, @QueryParam("flash") String flash) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.connection(null, List.of(), List.of(), false, null,
                    "There is no connection " + id + ".")).build();
        }
        View view = null;
        List<String> errors = new ArrayList<>();
        try {
            JsonNode c = connectionService.connection(id);
            String source = ConsolePages.name(connectionService.sources(), "sourceId", c.path("sourceId").asText());
            String destination = ConsolePages.name(connectionService.destinations(), "destinationId", c.path("destinationId").asText());
            List<String> tags = new ArrayList<>();
            c.path("tags").forEach(t -> tags.add(t.asText()));
            view = new View(id, c.path("name").asText(), c.path("status").asText(), source, destination,
                    ConsolePages.schedule(c.path("schedule")), tags);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Response.status(404).entity(Templates.connection(null, List.of(), List.of(), false, null,
                        "There is no connection " + id + ".")).build();
            }
            errors.add(ConsolePages.unreachable("connection-service", connectionServiceUrl, e));
        } catch (RuntimeException e) {
            errors.add(ConsolePages.unreachable("connection-service", connectionServiceUrl, e));
        }
        List<JobRow> jobs = new ArrayList<>();
        List<StreamStatusRow> streams = new ArrayList<>();
        try {
            for (JsonNode j : syncService.jobs(id, 20)) {
                jobs.add(job(j));
            }
            for (JsonNode s : syncService.streamStatus(id)) {
                streams.add(new StreamStatusRow(qualified(s.path("namespace"), s.path("stream").asText()),
                        s.path("status").asText()));
            }
        } catch (RuntimeException e) {
            errors.add(ConsolePages.unreachable("sync-service", syncServiceUrl, e));
        }
        boolean running = jobs.stream().anyMatch(JobRow::running);
        return Response.ok(Templates.connection(view, streams, jobs, running, flash,
                errors.isEmpty() ? null : String.join(" ", errors))).build();
    }

    @POST
    @Path("sync")
    public Response sync(@PathParam("id") String id) {
        return act(id, () -> connectionService.sync(id), "Sync requested.");
    }

    @POST
    @Path("cancel")
    public Response cancel(@PathParam("id") String id) {
        return act(id, () -> connectionService.cancel(id), "Cancel requested.");
    }

    @POST
    @Path("enable")
    public Response enable(@PathParam("id") String id) {
        return act(id, () -> connectionService.update(id, JSON.createObjectNode().put("status", "active")), "Enabled.");
    }

    @POST
    @Path("disable")
    public Response disable(@PathParam("id") String id) {
        return act(id, () -> connectionService.update(id, JSON.createObjectNode().put("status", "inactive")), "Disabled.");
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
            flash = ConsolePages.unreachable("connection-service", connectionServiceUrl, e);
        }
        return Response.seeOther(UriBuilder.fromPath("/connections/{id}").queryParam("flash", flash).build(id)).build();
    }

    /** What a problem+json answer says: its detail, or its title, or the status. */
    static String problem(WebApplicationException e) {
        try {
            JsonNode p = JSON.readTree(e.getResponse().readEntity(String.class));
            String detail = p.path("detail").asText(p.path("title").asText(""));
            if (!detail.isBlank()) {
                return detail;
            }
        } catch (RuntimeException | java.io.IOException ignored) {
            // no body to read: the status says it
        }
        return "the service answered " + e.getResponse().getStatus();
    }

    private static JobRow job(JsonNode j) {
        List<StreamRow> streams = new ArrayList<>();
        for (JsonNode s : j.path("streams")) {
            streams.add(new StreamRow(qualified(s.path("namespace"), s.path("stream").asText()), s.path("recordsRead").asLong(),
                    s.path("recordsWritten").asLong(), s.path("recordsRejected").asLong()));
        }
        String started = j.path("startedAt").asText(j.path("createdAt").asText(""));
        String duration = j.path("durationMillis").isNumber()
                ? String.format("%.1f s", j.path("durationMillis").asLong() / 1000.0) : "";
        return new JobRow(j.path("jobId").asLong(), j.path("jobType").asText(), j.path("status").asText(),
                j.path("requestedBy").asText(), started.replace('T', ' ').replaceAll("\\.\\d+", ""), duration,
                j.path("recordsRead").asLong(), j.path("recordsWritten").asLong(), j.path("recordsRejected").asLong(),
                j.path("failure").path("message").asText(null), RUNNING.contains(j.path("status").asText()), streams);
    }

    private static String qualified(JsonNode namespace, String stream) {
        return namespace.isTextual() && !namespace.asText().isEmpty() ? namespace.asText() + "." + stream : stream;
    }


}
