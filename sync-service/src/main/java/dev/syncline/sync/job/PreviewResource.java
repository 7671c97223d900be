package dev.syncline.sync.job;

import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Dry runs: what a data activation connection's next sync would do, writing nothing. */
@Path("/connections/{connectionId}/preview")
@Tag(name = "Jobs")
@Produces(MediaType.APPLICATION_JSON)
public class PreviewResource {
    static final long DEFAULT_LIMIT = 100_000;
    static final long MAX_LIMIT = 1_000_000;

    @Inject
    Preview preview;

    /** The connections whose dry run is under way on this instance: one at a time each (it reads the whole source). */
    private final java.util.Set<UUID> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @POST
    @Blocking
    @PermissionsAllowed(Permissions.CHANGE)
    @Operation(summary = "Dry run", description = "Reads the source as the next sync would (from the saved state), maps "
            + "and checks each record as a sync does, asks the destination which matching keys it holds where it can "
            + "(postgres-table), and answers the inserts, updates, deletes and rejections to expect, with up to 50 "
            + "samples of each. Writes nothing: not the destination, not the state, not the rejected records.")
    @APIResponse(responseCode = "200", description = "what the next sync would do",
            content = @Content(schema = @Schema(implementation = Preview.Result.class)))
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID or limit is out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "not a data activation connection, its schema not discovered yet, "
            + "the source or destination could not be read, or a dry run of it is under way",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "ELT", value = """
                            {"type": "https://syncline.dev/problems/conflict", "title": "Conflict", "status": 409,
                             "detail": "a dry run is for data activation connections (with mappings); an ELT connection's schema changes are previewed on its Schema tab"}""")))
    public Preview.Result run(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId,
                              @Parameter(schema = @Schema(type = SchemaType.INTEGER), description = "read at most this many "
                                      + "records (1-1000000, default 100000)", example = "100000") @QueryParam("limit") String limitText)
            throws Throwable {
        UUID id;
        try {
            id = UUID.fromString(connectionId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("connectionId", "'" + connectionId + "' is not a UUID");
        }
        Long limit = dev.syncline.kit.problem.Params.longValue("limit", limitText);
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (!running.add(id)) {
            throw ProblemException.conflict("a dry run of this connection is under way; wait for its answer");
        }
        try {
            return preview.run(id, limit == null ? DEFAULT_LIMIT : limit);
        } finally {
            running.remove(id);
        }
    }
}
