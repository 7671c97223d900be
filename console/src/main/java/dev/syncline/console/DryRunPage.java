package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A data activation connection's dry run: sync-service reads the source, maps and checks every record and asks the
 * destination which keys it holds; the page shows the inserts, updates, deletes and rejections to expect, with samples,
 * and nothing is written.
 */
@Path("/connections/{id}/dry-run")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class DryRunPage {
    /** One sample record as shown. */
    public record Sample(String key, String payload, String reasons) { }

    /** One kind of outcome of a stream, with its count and samples. */
    public record Outcome(String kind, String label, long count, List<Sample> samples) { }

    /** One stream's preview. */
    public record Stream(String stream, String object, String method, long read, boolean keysChecked, List<Outcome> outcomes) { }

    /** The whole answer. */
    public record Result(long read, long inserts, long updates, long upserts, long deletes, long rejections, boolean truncated,
                         List<Stream> streams) { }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(ConnectionPage.View connection, Result result, String error);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    @RestClient
    SyncPreviewClient syncService;

    @Inject
    ServiceUrls services;

    /** The page before a run: what it does, and the button. */
    @GET
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    public Response page(@PathParam("id") String id) {
        return render(id, false);
    }

    /** Runs it and shows what came out (nothing is written, so a reload may run it again). */
    @POST
    @RolesAllowed({ConsoleRoles.ADMIN, ConsoleRoles.EDITOR})
    public Response run(@PathParam("id") String id) {
        return render(id, true);
    }

    private Response render(String id, boolean run) {
        if (!ConsolePages.isUuid(id)) {
            return Response.status(404).entity(Templates.page(null, null, "There is no connection " + id + ".")).build();
        }
        ConnectionPage.View view;
        try {
            view = ConnectionPage.view(connectionService, connectionService.connection(id));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus() == 404 ? 404 : 200;
            return Response.status(status).entity(Templates.page(null, null, status == 404 ? "There is no connection " + id + "."
                    : ConsolePages.unreachable("connection-service", services.connectionService().url(), e))).build();
        }
        if (!run) {
            return Response.ok(Templates.page(view, null, null)).build();
        }
        try {
            return Response.ok(Templates.page(view, result(syncService.preview(id, null)), null)).build();
        } catch (WebApplicationException e) {
            return Response.ok(Templates.page(view, null, ConnectionPage.problem(e))).build();
        } catch (RuntimeException e) {
            return Response.ok(Templates.page(view, null, ConsolePages.unreachable("sync-service", services.syncService().url(), e)))
                    .build();
        }
    }

    static Result result(JsonNode p) {
        List<Stream> streams = new ArrayList<>();
        for (JsonNode s : p.path("streams")) {
            List<Outcome> outcomes = new ArrayList<>();
            outcomes.add(outcome(s, "inserts", "insertSamples", "Inserts"));
            outcomes.add(outcome(s, "updates", "updateSamples", "Updates"));
            outcomes.add(outcome(s, "upserts", "upsertSamples", "Inserts or updates (the destination cannot say which keys it holds)"));
            outcomes.add(outcome(s, "deletes", "deleteSamples", "Deletes"));
            outcomes.add(outcome(s, "rejections", "rejectionSamples", "Rejections"));
            streams.add(new Stream(s.path("stream").asText(), s.path("object").asText(), s.path("insertionMethod").asText(),
                    s.path("recordsRead").asLong(), s.path("keysChecked").asBoolean(),
                    outcomes.stream().filter(o -> o.count() > 0).toList()));
        }
        return new Result(p.path("recordsRead").asLong(), p.path("inserts").asLong(), p.path("updates").asLong(),
                p.path("upserts").asLong(), p.path("deletes").asLong(), p.path("rejections").asLong(),
                p.path("truncated").asBoolean(), streams);
    }

    private static Outcome outcome(JsonNode s, String count, String samples, String label) {
        List<Sample> list = new ArrayList<>();
        for (JsonNode x : s.path(samples)) {
            List<String> reasons = new ArrayList<>();
            for (JsonNode r : x.path("reasons")) {
                reasons.add(r.path("field").asText() + ": " + r.path("code").asText() + " — " + r.path("message").asText());
            }
            list.add(new Sample(x.path("key").asText(""), x.path("payload").toString(), String.join("; ", reasons)));
        }
        return new Outcome(count, label, s.path(count).asLong(), list);
    }
}
