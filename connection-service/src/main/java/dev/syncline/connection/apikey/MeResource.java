package dev.syncline.connection.apikey;

import dev.syncline.kit.auth.Caller;
import dev.syncline.kit.problem.Problem;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who am I: the API key a request carries (any role). The console signs in with it. */
@Path("/me")
@Tag(name = "API keys")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {
    @Inject
    SecurityIdentity identity;

    @GET
    @Authenticated
    @Operation(summary = "The API key of this request", description = "its id, name, prefix and role; any role")
    @APIResponse(responseCode = "200", description = "the caller",
            content = @Content(schema = @Schema(implementation = ApiKeyDtos.Me.class)))
    @APIResponse(responseCode = "401", description = "no valid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ApiKeyDtos.Me me() {
        Caller c = Caller.of(identity);
        return new ApiKeyDtos.Me(c.keyId(), c.name(), c.prefix(), c.role().id());
    }
}
