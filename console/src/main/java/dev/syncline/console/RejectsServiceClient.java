package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** What the console reads from rejects-service: a connection's rejected records, their counts, export, dismissal. */
@org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders(ForwardKey.class)
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(RevokedKeys.class)
@RegisterRestClient(configKey = "rejects-service")
@Path("/rejected-records")
public interface RejectsServiceClient {

    @GET
    JsonNode list(@QueryParam("connectionId") String connectionId, @QueryParam("jobId") String jobId,
                  @QueryParam("stream") String stream, @QueryParam("reasonCode") String reasonCode,
                  @QueryParam("status") String status, @QueryParam("sort") String sort, @QueryParam("limit") Integer limit,
                  @QueryParam("cursor") String cursor);

    @GET
    @Path("counts")
    JsonNode counts(@QueryParam("connectionId") String connectionId, @QueryParam("jobId") String jobId,
                    @QueryParam("stream") String stream, @QueryParam("reasonCode") String reasonCode,
                    @QueryParam("status") String status);

    @GET
    @Path("export")
    @Produces(MediaType.WILDCARD)
    InputStream export(@QueryParam("format") String format, @QueryParam("connectionId") String connectionId,
                       @QueryParam("jobId") String jobId, @QueryParam("stream") String stream,
                       @QueryParam("reasonCode") String reasonCode, @QueryParam("status") String status);

    @POST
    @Path("dismiss")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode dismissMatching(JsonNode filter);

    @POST
    @Path("{id}/dismiss")
    JsonNode dismissOne(@PathParam("id") String id);
}
