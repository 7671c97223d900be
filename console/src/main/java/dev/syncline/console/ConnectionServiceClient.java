package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** What the console reads from connection-service: its REST API, as any client would. */
@org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders(ForwardKey.class)
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(RevokedKeys.class)
@RegisterRestClient(configKey = "connection-service")
@Path("/")
public interface ConnectionServiceClient {

    @GET
    @Path("connections")
    JsonNode connections(@QueryParam("status") String status, @QueryParam("tagId") String tagId, @QueryParam("limit") Integer limit,
                         @QueryParam("cursor") String cursor);

    @GET
    @Path("sources")
    JsonNode sources();

    /** The key's id, name, prefix and role; 401 for a key connection-service does not accept. */
    @GET
    @Path("me")
    JsonNode me(@jakarta.ws.rs.HeaderParam("Authorization") String authorization);

    @GET
    @Path("destinations")
    JsonNode destinations();

    @GET
    @Path("tags")
    JsonNode tags();

    /** {@code kind} is sources or destinations. */
    @GET
    @Path("{kind}/{id}")
    JsonNode actor(@PathParam("kind") String kind, @PathParam("id") String id);

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

    /** The next three start times of a schedule; 400 with field errors when it cannot run. */
    @POST
    @Path("schedules/next-runs")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode nextRuns(JsonNode schedule);

    @GET
    @Path("connector-definitions")
    JsonNode definitions(@QueryParam("kind") String kind);

    /** {@code kind} is sources or destinations. */
    @POST
    @Path("{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode create(@PathParam("kind") String kind, JsonNode body);

    /** {@code kind} is sources or destinations: a new name and/or configuration (a masked secret keeps its value). */
    @PATCH
    @Path("{kind}/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode updateActor(@PathParam("kind") String kind, @PathParam("id") String id, JsonNode changes);

    /** {@code kind} is sources or destinations; 409 while a connection uses it. */
    @DELETE
    @Path("{kind}/{id}")
    void deleteActor(@PathParam("kind") String kind, @PathParam("id") String id);

    @DELETE
    @Path("connections/{id}")
    void deleteConnection(@PathParam("id") String id);

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
    @GET
    @Path("destinations/{id}/objects")
    JsonNode destinationObjects(@PathParam("id") String id);

    @POST
    @Path("tags")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode createTag(JsonNode body);

    @GET
    @Path("connections/{id}/schema-changes")
    JsonNode schemaChanges(@PathParam("id") String id);

    /** What approving would do to each destination table (ELT). */
    @GET
    @Path("connections/{id}/schema-changes/preview")
    JsonNode schemaChangePreview(@PathParam("id") String id);

    @POST
    @Path("connections/{id}/schema-changes/approve")
    JsonNode approveSchemaChanges(@PathParam("id") String id);

    @GET
    @Path("connections/{id}/timeline")
    JsonNode timeline(@PathParam("id") String id, @QueryParam("limit") Integer limit);

    @GET
    @Path("connections/{id}/catalog")
    JsonNode connectionCatalog(@PathParam("id") String id);

    /** {@code action} is clear or refresh. */
    @POST
    @Path("connections/{id}/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode streamAction(@PathParam("id") String id, @PathParam("action") String action, JsonNode body);

    @GET
    @Path("connections/{id}/notification-rules")
    JsonNode notificationRules(@PathParam("id") String id);

    @POST
    @Path("connections/{id}/notification-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode addNotificationRule(@PathParam("id") String id, JsonNode rule);

    @POST
    @Path("notification-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode addNotificationRuleForAll(JsonNode rule);

    @PATCH
    @Path("notification-rules/{ruleId}")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode changeNotificationRule(@PathParam("ruleId") String ruleId, JsonNode changes);

    @DELETE
    @Path("notification-rules/{ruleId}")
    void deleteNotificationRule(@PathParam("ruleId") String ruleId);

    @POST
    @Path("notification-rules/{ruleId}/test")
    JsonNode testNotificationRule(@PathParam("ruleId") String ruleId, @QueryParam("connectionId") String connectionId);

    @GET
    @Path("connections/{id}/notifications")
    JsonNode notifications(@PathParam("id") String id, @QueryParam("limit") Integer limit);
}
