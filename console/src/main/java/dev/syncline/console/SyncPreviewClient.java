package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * sync-service's dry runs: a client of its own, whose answers may take minutes (the other clients give up after 10 s,
 * so that a service that is down shows at once).
 */
@org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders(ForwardKey.class)
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(RevokedKeys.class)
@RegisterRestClient(configKey = "sync-service-preview")
@Path("/")
public interface SyncPreviewClient {
    @POST
    @Path("connections/{id}/preview")
    JsonNode preview(@PathParam("id") String connectionId, @QueryParam("limit") Long limit);
}
