package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** What the console reads from sync-service: jobs, stream statuses, requests (dry runs: {@link SyncPreviewClient}). */
@org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders(ForwardKey.class)
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(RevokedKeys.class)
@RegisterRestClient(configKey = "sync-service")
@Path("/")
public interface SyncServiceClient {

    @GET
    @Path("connections/{id}/jobs")
    JsonNode jobs(@PathParam("id") String connectionId, @QueryParam("limit") Integer limit);

    /** Every connection's jobs, newest first. */
    @GET
    @Path("jobs")
    JsonNode allJobs(@QueryParam("limit") Integer limit);

    @GET
    @Path("jobs/{id}")
    JsonNode job(@PathParam("id") String jobId);

    @GET
    @Path("jobs/{id}/logs")
    JsonNode logs(@PathParam("id") String jobId);

    @GET
    @Path("connections/{id}/streams/status")
    JsonNode streamStatus(@PathParam("id") String connectionId);

    @GET
    @Path("jobs/{id}/requests")
    JsonNode requests(@PathParam("id") String jobId);

    /** A connection's sync log: where, how long, how far behind. */
    @GET
    @Path("connections/{id}/sync-logs")
    JsonNode syncLogs(@PathParam("id") String connectionId);

    @jakarta.ws.rs.PUT
    @Path("connections/{id}/sync-logs")
    @jakarta.ws.rs.Consumes("application/json")
    JsonNode saveSyncLogs(@PathParam("id") String connectionId, JsonNode body);

    @jakarta.ws.rs.DELETE
    @Path("connections/{id}/sync-logs")
    void turnOffSyncLogs(@PathParam("id") String connectionId);
}
