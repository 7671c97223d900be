package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** What the console reads from connection-service: its REST API, as any client would. */
@RegisterRestClient(configKey = "connection-service")
@Path("/")
public interface ConnectionServiceClient {

    @GET
    @Path("connections")
    JsonNode connections(@QueryParam("status") String status, @QueryParam("limit") Integer limit,
                         @QueryParam("cursor") String cursor);

    @GET
    @Path("sources")
    JsonNode sources();

    @GET
    @Path("destinations")
    JsonNode destinations();

    @GET
    @Path("tags")
    JsonNode tags();

    @GET
    @Path("connections/{id}")
    JsonNode connection(@PathParam("id") String id);

    @GET
    @Path("sources/{id}/catalog")
    JsonNode sourceCatalog(@PathParam("id") String id);

    @POST
    @Path("sources/{id}/discover")
    void discover(@PathParam("id") String id);

    @POST
    @Path("connections")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode createConnection(JsonNode body);

    @GET
    @Path("connector-definitions")
    JsonNode definitions(@QueryParam("kind") String kind);

    /** {@code kind} is sources or destinations. */
    @POST
    @Path("{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(@PathParam("kind") String kind, JsonNode body);

    /** {@code kind} is sources or destinations. */
    @POST
    @Path("{kind}/{id}/check")
    JsonNode check(@PathParam("kind") String kind, @PathParam("id") String id);

    @POST
    @Path("connections/{id}/sync")
    JsonNode sync(@PathParam("id") String id);

    @POST
    @Path("connections/{id}/cancel")
    JsonNode cancel(@PathParam("id") String id);

    @PATCH
    @Path("connections/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode update(@PathParam("id") String id, JsonNode changes);
}
