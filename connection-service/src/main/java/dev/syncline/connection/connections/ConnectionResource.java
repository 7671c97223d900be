package dev.syncline.connection.connections;

import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/connections")
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionResource {
    @Inject
    Connections connections;

    @Inject
    ConnectionLifecycle lifecycle;

    @Inject
    ConnectionActions actions;

    @Inject
    SchemaReview review;

    @Inject
    dev.syncline.connection.notify.NotificationResource notifications;

    static final String STREAMS_COLLIDE = """
            {"type": "https://syncline.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
             "detail": "streams[1].destinationName: streams users and Users would both write table public.users (...)",
             "errors": [{"field": "streams[1].destinationName", "message": "streams users and Users would both write \
            table public.users (the destination's names are lower case letters, digits and underscores); deselect one, \
            or give one another destinationName"}]}""";

    static final String TABLE_TAKEN = """
            {"type": "https://syncline.dev/problems/destination-table-taken", "title": "Destination table taken",
             "status": 409, "detail": "a destination table is written by one connection; public.users is connection \
            6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f's (Shop → Warehouse)",
             "errors": [{"field": "streams", "message": "table public.users is written by connection \
            6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f (Shop → Warehouse), stream users; set another prefix or namespace, \
            give the stream another destinationName, deselect it, or delete that connection"}]}""";

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Create a connection",
            description = "Publishes ConnectionCreated and asks schema-service to discover the source's schema; "
                    + "the streams appear once it is discovered (GET /connections/{id}/catalog).")
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.Response.class)))
    @APIResponse(responseCode = "400", description = "invalid request; errors name each offending field, and two streams "
            + "(or two fields of a stream) whose names the destination would make one table (or column)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "streams collide", value = STREAMS_COLLIDE)))
    @APIResponse(responseCode = "409", description = "a destination table another connection writes (one table, one "
            + "connection; errors name each table, its stream and that connection), or the source has as many connections "
            + "as it may", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "table taken", value = TABLE_TAKEN)))
    public Uni<Response> create(@Valid @NotNull ConnectionDtos.CreateRequest request) {
        return connections.create(request)
                .map(c -> Response.created(URI.create("/connections/" + c.id)).entity(toResponse(c)).build());
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "List connections", description = "Oldest first, filtered; deleted (deprecated) ones only when asked for by status.")
    @APIResponse(responseCode = "200", description = "a page", content = @Content(schema = @Schema(implementation = ConnectionDtos.Page.class)))
    @APIResponse(responseCode = "400", description = "a filter is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConnectionDtos.Page> list(
            @Parameter(description = "active, inactive, paused or deprecated", example = "active") @QueryParam("status") String status,
            @Parameter(description = "only connections with this tag", example = "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b") @QueryParam("tagId") String tagId,
            @Parameter(description = "only this source's", example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @QueryParam("sourceId") String sourceId,
            @Parameter(description = "only this destination's", example = "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b") @QueryParam("destinationId") String destinationId,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "page size, 1-500", example = "50") @QueryParam("limit") String limitText,
            @Parameter(description = "the next cursor of the previous page") @QueryParam("cursor") String cursor) {
        Integer limit = dev.syncline.kit.problem.Params.integer("limit", limitText);
        return connections.page(status, tagId, sourceId, destinationId, limit, cursor);
    }

    @DELETE
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}")
    @WithTransaction
    @Operation(summary = "Delete a connection", description = "It becomes deprecated: no more syncs; its history stays.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("connectionId") String connectionId) {
        return lifecycle.delete(connectionId).map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{connectionId}/notification-rules")
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Tag(name = "Notifications")
    @Operation(summary = "A connection's notification rules", description = "Its own rules, then those of every connection "
            + "(appliesToAllConnections), which apply to it too.")
    @APIResponse(responseCode = "200", description = "the rules", content = @Content(schema = @Schema(implementation =
            dev.syncline.connection.notify.NotificationDtos.Rule.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<dev.syncline.connection.notify.NotificationDtos.Rule>> connectionRules(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId) {
        return notifications.connectionRules(connectionId);
    }

    @POST
    @Path("/{connectionId}/notification-rules")
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Tag(name = "Notifications")
    @Operation(summary = "Add a notification rule to a connection", description = "Its events go to the webhook from now on, "
            + "each change of state once (a connection failing every sync sends one sync_failed, then one sync_recovered).")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = dev.syncline.connection.notify.NotificationDtos.Rule.class)))
    @APIResponse(responseCode = "400", description = "errors name each field; a URL of Syncline's own is refused",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "refused", value = dev.syncline.connection.notify.NotificationResource.REFUSED)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> addToConnection(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId,
                                         @Valid @NotNull dev.syncline.connection.notify.NotificationDtos.RuleRequest request) {
        return notifications.addToConnection(connectionId, request);
    }

    @GET
    @Path("/{connectionId}/notifications")
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Tag(name = "Notifications")
    @Operation(summary = "A connection's notifications", description = "Every notification made for it, newest first: "
            + "the event, whether it was delivered, how many attempts, the last answer.")
    @APIResponse(responseCode = "200", description = "the delivery log", content = @Content(schema = @Schema(implementation =
            dev.syncline.connection.notify.NotificationDtos.Delivery.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", description = "limit is not between 1 and 200",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<dev.syncline.connection.notify.NotificationDtos.Delivery>> deliveries(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId,
                                                           @Parameter(schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER),
                                                                       description = "at most this many (1-200, default 50)", example = "50")
                                                           @QueryParam("limit") String limitText) {
        return notifications.deliveries(connectionId, limitText);
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{connectionId}/timeline")
    @WithSession
    @Operation(summary = "What happened to the connection", description = "Newest first: settings, state changes, "
            + "schema changes, sync results.")
    public Uni<List<ConnectionDtos.TimelineEntry>> timeline(@PathParam("connectionId") String connectionId,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "at most this many (1-1000)", example = "100") @QueryParam("limit") String limitText) {
        Integer limit = dev.syncline.kit.problem.Params.integer("limit", limitText);
        return connections.timeline(connectionId, limit);
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{connectionId}/schema-changes")
    @WithSession
    @Operation(summary = "Schema changes waiting for review", description = "Kept when the policy is ignore or disable, "
            + "and for breaking changes; each with what changed and what breaks.")
    public Uni<List<java.util.Map<String, Object>>> schemaChanges(
            @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId) {
        return review.schemaChanges(connectionId);
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{connectionId}/schema-changes/preview")
    @WithSession
    @Operation(summary = "What approving would do to each destination table", description = "For an ELT connection with "
            + "schema changes waiting: each table a stream writes, new, no longer written or changed, and for each column "
            + "added, no longer written or of another type what the destination does (a table in overwrite mode is "
            + "rebuilt by the next sync; an appended one keeps its columns and gains the new ones). Applies nothing.")
    @APIResponse(responseCode = "200", description = "the tables approving changes; none when nothing waits",
            content = @Content(schema = @Schema(implementation = SchemaPreview.class)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "a data activation connection (its changes are reviewed on its mapping)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SchemaPreview> schemaChangePreview(
            @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId) {
        return review.preview(connectionId);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}/schema-changes/approve")
    @WithTransaction
    @Operation(summary = "Approve the schema changes", description = "Applies the source's current schema: new streams "
            + "and fields are added, vanished ones removed. A paused connection stays paused until enabled.")
    @APIResponse(responseCode = "200", description = "the connection with its new streams",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.Response.class)))
    @APIResponse(responseCode = "400", description = "the changes would make two streams (or two fields) write one table "
            + "(or column): mend the streams first (PATCH), errors name both",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "streams collide", value = STREAMS_COLLIDE)))
    @APIResponse(responseCode = "409", description = "nothing to approve, or a new stream's table is another connection's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConnectionDtos.Response> approveSchemaChanges(@PathParam("connectionId") String connectionId) {
        return review.approve(connectionId).map(ConnectionResource::toResponse);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}/cancel")
    @WithTransaction
    @Operation(summary = "Cancel the running sync")
    @APIResponse(responseCode = "202", description = "requested", content = @Content(schema = @Schema(implementation = ConnectionDtos.ActionResponse.class)))
    public Uni<Response> cancel(@PathParam("connectionId") String connectionId) {
        return actions.request(connectionId, ConnectionAction.CANCEL, null, null).map(r -> Response.accepted(r).build());
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Clear data", description = "Removes the synced data (of every stream, or of the ones named) "
            + "and the saved cursors; the next sync starts from scratch.")
    @APIResponse(responseCode = "202", description = "requested", content = @Content(schema = @Schema(implementation = ConnectionDtos.ActionResponse.class)))
    @APIResponse(responseCode = "400", description = "a stream the connection does not sync",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> clear(@PathParam("connectionId") String connectionId, @Valid ConnectionDtos.ClearRequest request) {
        return actions.request(connectionId, ConnectionAction.CLEAR, request == null ? null : request.streams(), null)
                .map(r -> Response.accepted(r).build());
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Refresh data", description = "Syncs the streams again from scratch: remove drops the records "
            + "synced before, retain keeps them (incremental streams only).")
    @APIResponse(responseCode = "202", description = "requested", content = @Content(schema = @Schema(implementation = ConnectionDtos.ActionResponse.class)))
    @APIResponse(responseCode = "400", description = "retain asked for a full refresh stream, or an unknown stream",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> refresh(@PathParam("connectionId") String connectionId,
                                 @Valid @NotNull ConnectionDtos.RefreshRequest request) {
        return actions.request(connectionId, ConnectionAction.REFRESH, request.streams(),
                        ConnectionAction.RefreshMode.fromWire(request.mode()))
                .map(r -> Response.accepted(r).build());
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{connectionId}")
    @WithSession
    @Operation(summary = "Get a connection")
    @APIResponse(responseCode = "200", description = "the connection",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.Response.class)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConnectionDtos.Response> get(@PathParam("connectionId") String connectionId) {
        return connections.get(connectionId).map(ConnectionResource::toResponse);
    }

    @PATCH
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Change a connection", description = "Only the fields present change; publishes ConnectionUpdated "
            + "with the whole configuration.")
    @APIResponse(responseCode = "200", description = "the changed connection",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.Response.class)))
    @APIResponse(responseCode = "400", description = "invalid request; errors name each offending field, and two streams "
            + "(or two fields of a stream) whose names the destination would make one table (or column)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "streams collide", value = STREAMS_COLLIDE)))
    @APIResponse(responseCode = "409", description = "a destination table another connection writes (one table, one "
            + "connection; errors name each table, its stream and that connection), or the connection is deleted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "table taken", value = TABLE_TAKEN)))
    public Uni<ConnectionDtos.Response> update(@PathParam("connectionId") String connectionId,
                                               @Valid @NotNull ConnectionDtos.UpdateRequest request) {
        return connections.update(connectionId, request).map(ConnectionResource::toResponse);
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{connectionId}/catalog")
    @WithSession
    @Operation(summary = "The source's discovered catalog and the connection's streams",
            description = "status is pending while discovery runs, failed with a message when it failed.")
    @APIResponse(responseCode = "200", description = "the catalog",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.CatalogResponse.class)))
    @APIResponse(responseCode = "404", description = "no such connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConnectionDtos.CatalogResponse> catalog(@PathParam("connectionId") String connectionId) {
        return connections.catalog(connectionId);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{connectionId}/sync")
    @WithTransaction
    @Operation(summary = "Sync now", description = "Publishes SyncRequested; sync-service runs the job (GET /jobs?connectionId= there).")
    @APIResponse(responseCode = "202", description = "requested",
            content = @Content(schema = @Schema(implementation = ConnectionDtos.SyncResponse.class)))
    @APIResponse(responseCode = "409", description = "not syncable now (schema not discovered yet, or not active)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> sync(@PathParam("connectionId") String connectionId) {
        return actions.requestSync(connectionId).map(requestId -> Response.accepted(
                new ConnectionDtos.SyncResponse(java.util.UUID.fromString(connectionId), requestId, "requested")).build());
    }

    static ConnectionDtos.Response toResponse(Connection c) {
        return new ConnectionDtos.Response(c.id, c.name, c.sourceId, c.destinationId, c.status.wireName(), c.scheduleValue(),
                c.namespaceDefinition.wireName(), c.namespaceFormat, c.prefix, c.preset(), c.streams(),
                c.tagIds(), c.schemaChangePolicy.wireName(), c.backfillNewColumns, c.notificationWebhook, c.mappingList(),
                c.retryRejectedRecords, c.createdAt, c.updatedAt);
    }
}
