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

@Path("/sources")
@Tag(name = "Sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource extends ActorResource<ActorDtos.SourceResponse> {
    public SourceResource() {
        super(Actor.SOURCE, ActorDtos.SourceResponse::new);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Create a source", description = "The configuration is validated against the connector's spec. "
            + Actors.REACH_RULE)
    @APIResponse(responseCode = "201", description = "created",
            content = @Content(schema = @Schema(implementation = ActorDtos.SourceResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid request; errors name each offending field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(@Valid @NotNull ActorDtos.SourceCreateRequest request) {
        return created(request.name(), request.sourceType(), request.configuration());
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "List sources")
    public Uni<List<ActorDtos.SourceResponse>> list() {
        return all();
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{sourceId}")
    @WithSession
    @Operation(summary = "Get a source")
    @APIResponse(responseCode = "200", description = "the source",
            content = @Content(schema = @Schema(implementation = ActorDtos.SourceResponse.class)))
    @APIResponse(responseCode = "404", description = "no such source",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ActorDtos.SourceResponse> get(@PathParam("sourceId") String sourceId) {
        return one(sourceId);
    }

    @Schema(name = "SourceCatalog", description = "status is pending while the schema is discovered")
    public record CatalogResponse(java.util.UUID sourceId, @Schema(examples = "discovered") String status, String message,
                                  Long catalogVersion, dev.syncline.connectors.spi.Catalog catalog) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{sourceId}/catalog")
    @WithSession
    @Operation(summary = "The source's discovered schema", description = "Discovery starts when the source is created "
            + "(and on POST /sources/{sourceId}/discover); status says where it is.")
    @APIResponse(responseCode = "200", description = "the catalog, or its status",
            content = @Content(schema = @Schema(implementation = CatalogResponse.class)))
    @APIResponse(responseCode = "404", description = "no such source",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CatalogResponse> catalog(@PathParam("sourceId") String sourceId) {
        return actor(sourceId).chain(a -> discovered(a, CatalogResponse::new));
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{sourceId}/discover")
    @WithTransaction
    @Operation(summary = "Discover the source's schema again")
    @APIResponse(responseCode = "202", description = "requested; GET /sources/{sourceId}/catalog shows the progress")
    @APIResponse(responseCode = "404", description = "no such source",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> discover(@PathParam("sourceId") String sourceId) {
        return actor(sourceId).chain(a -> actors.requestDiscovery(a.id))
                .map(v -> Response.accepted().build());
    }

    @PATCH
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{sourceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Change a source", description = "Name and/or configuration; the source is checked again. "
            + Actors.REACH_RULE)
    @APIResponse(responseCode = "200", description = "the changed source",
            content = @Content(schema = @Schema(implementation = ActorDtos.SourceResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid configuration; errors name each offending setting",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ActorDtos.SourceResponse> update(@PathParam("sourceId") String id, @Valid @NotNull ActorDtos.UpdateRequest request) {
        return changed(id, request);
    }

    @DELETE
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{sourceId}")
    @WithTransaction
    @Operation(summary = "Delete a source", description = "Refused while a connection uses it.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "409", description = "a connection uses it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("sourceId") String id) {
        return deleted(id);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{sourceId}/check")
    @WithTransaction
    @Operation(summary = "Test the connection", description = "A real connection attempt, run by schema-service; "
            + "GET the source to see check.status and check.message.")
    @APIResponse(responseCode = "202", description = "requested")
    public Uni<Response> check(@org.eclipse.microprofile.openapi.annotations.parameters.Parameter(example = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d") @PathParam("sourceId") String id) {
        return checkRequested(id);
    }
}
