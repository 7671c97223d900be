package dev.syncline.connection.tags;

import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/tags")
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = "Tags")
@Produces(MediaType.APPLICATION_JSON)
public class TagResource {

    @Schema(name = "TagCreateRequest", examples = "{\"name\": \"marketing\", \"color\": \"#1E88E5\"}")
    public record CreateRequest(@dev.syncline.kit.text.PlainText @NotBlank @Size(max = 30) String name,
                                @NotBlank @Pattern(regexp = "#[0-9A-Fa-f]{6}", message = "must be a hex colour like #1E88E5")
                                String color) { }

    @Schema(name = "Tag")
    public record TagResponse(UUID tagId, @Schema(examples = "marketing") String name,
                              @Schema(examples = "#1E88E5") String color) { }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Create a tag")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = TagResponse.class)))
    @APIResponse(responseCode = "409", description = "a tag of that name exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(@Valid @NotNull CreateRequest request) {
        String name = TagNames.display(request.name());
        String key = TagNames.key(request.name());
        return Tag.<Tag>find("nameKey", key).firstResult()
                .chain(existing -> {
                    if (existing != null) {
                        throw exists(name, existing);
                    }
                    var t = new Tag();
                    t.id = UUID.randomUUID();
                    t.name = name;
                    t.nameKey = key;
                    t.color = request.color().toUpperCase();
                    t.createdAt = OffsetDateTime.now();
                    return t.<Tag>persistAndFlush();
                })
                // a tag of the same name created at the same moment: the database's unique key decides
                .onFailure(org.hibernate.exception.ConstraintViolationException.class).transform(e ->
                        ProblemException.conflict("a tag named " + name + " exists; tag names are compared without case, "
                                + "accents' encoding or width"))
                .map(t -> Response.created(URI.create("/tags/" + t.id)).entity(toResponse(t)).build());
    }

    private static ProblemException exists(String name, Tag existing) {
        return ProblemException.conflict("a tag named " + name + " exists: " + existing.name + " (" + existing.id
                + "); tag names are compared without case, accents' encoding or width");
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "List tags")
    public Uni<List<TagResponse>> list() {
        return Tag.<Tag>list("order by name")
                .map(l -> l.stream().map(TagResource::toResponse).toList());
    }

    @DELETE
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{tagId}")
    @WithTransaction
    @Operation(summary = "Delete a tag")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such tag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("tagId") String tagId) {
        UUID id;
        try {
            id = UUID.fromString(tagId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Tag", tagId);
        }
        return Tag.deleteById(id).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("Tag", tagId);
            }
            return Response.noContent().build();
        });
    }

    static TagResponse toResponse(Tag t) {
        return new TagResponse(t.id, t.name, t.color);
    }
}
