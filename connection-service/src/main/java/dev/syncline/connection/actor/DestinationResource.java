package dev.syncline.connection.actor;

import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/destinations")
@Tag(name = "Destinations")
@Produces(MediaType.APPLICATION_JSON)
public class DestinationResource extends ActorResource<ActorDtos.DestinationResponse> {
    public DestinationResource() {
        super(Actor.DESTINATION, ActorDtos.DestinationResponse::new);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Create a destination", description = "The configuration is validated against the connector's spec. "
            + Actors.REACH_RULE)
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(schema = @Schema(implementation = ActorDtos.DestinationResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid request; errors name each offending field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(@Valid @NotNull ActorDtos.DestinationCreateRequest request) {
        return created(request.name(), request.destinationType(), request.configuration());
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "List destinations")
    public Uni<List<ActorDtos.DestinationResponse>> list() {
        return all();
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{destinationId}")
    @WithSession
    @Operation(summary = "Get a destination")
    @APIResponse(responseCode = "200", description = "the destination",
            content = @Content(schema = @Schema(implementation = ActorDtos.DestinationResponse.class)))
    @APIResponse(responseCode = "404", description = "no such destination",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ActorDtos.DestinationResponse> get(@PathParam("destinationId") String destinationId) {
        return one(destinationId);
    }

    @Schema(name = "DestinationObjects", description = "status is pending while the objects are discovered")
    public record ObjectsResponse(java.util.UUID destinationId, @Schema(examples = "discovered") String status, String message,
                                  Long catalogVersion,
                                  @Schema(description = "the objects, each with its fields (required ones not nullable), "
                                          + "insertion methods and the keys each can match records by")
                                  dev.syncline.connectors.spi.Catalog objects) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{destinationId}/objects")
    @WithSession
    @Operation(summary = "A data activation destination's objects", description = "Discovered when the destination is "
            + "created, like a source's streams: the objects mappings write to, with their fields, insertion methods and "
            + "matching keys.")
    @APIResponse(responseCode = "200", description = "the objects, or the discovery's status",
            content = @Content(schema = @Schema(implementation = ObjectsResponse.class)))
    @APIResponse(responseCode = "404", description = "no such destination",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "not a data activation destination: it has no objects",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ObjectsResponse> objects(@org.eclipse.microprofile.openapi.annotations.parameters.Parameter(
            example = "3c9d2f4e-1b7a-4e8f-9a6d-5b0c1e2f3a4b") @PathParam("destinationId") String destinationId) {
        return actor(destinationId).chain(a -> {
            if (!actors.isActivation(a)) {
                throw dev.syncline.kit.problem.ProblemException.conflict("destination " + a.id + " (" + a.connectorType
                        + ") is not a data activation destination: it has tables, not objects to map onto");
            }
            return discovered(a, ObjectsResponse::new);
        });
    }

    @PATCH
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{destinationId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Change a destination", description = "Name and/or configuration; the destination is checked again. "
            + Actors.REACH_RULE)
    @APIResponse(responseCode = "200", description = "the changed destination",
            content = @Content(schema = @Schema(implementation = ActorDtos.DestinationResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid configuration; errors name each offending setting",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ActorDtos.DestinationResponse> update(@PathParam("destinationId") String id, @Valid @NotNull ActorDtos.UpdateRequest request) {
        return changed(id, request);
    }

    @DELETE
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{destinationId}")
    @WithTransaction
    @Operation(summary = "Delete a destination", description = "Refused while a connection uses it.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "409", description = "a connection uses it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("destinationId") String id) {
        return deleted(id);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{destinationId}/check")
    @WithTransaction
    @Operation(summary = "Test the connection", description = "A real connection attempt, run by schema-service; "
            + "GET the destination to see check.status and check.message.")
    @APIResponse(responseCode = "202", description = "requested")
    public Uni<Response> check(@org.eclipse.microprofile.openapi.annotations.parameters.Parameter(example = "3c9d2f4e-1b7a-4e8f-9a6d-5b0c1e2f3a4b") @PathParam("destinationId") String id) {
        return checkRequested(id);
    }
}
