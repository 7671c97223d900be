package dev.syncline.connection.apikey;

import dev.syncline.apikeys.ApiKeys;
import dev.syncline.events.ApiKeyIssued;
import dev.syncline.events.ApiKeyRevoked;
import dev.syncline.events.Topics;
import dev.syncline.kit.auth.ApiKey;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API keys (admin only: Permissions.API_KEYS): issue one (the key is in that answer only), list them by prefix, revoke one.
 * Every change goes to syncline.api-keys, so every service knows within a moment.
 */
@Path("/api-keys")
@Tag(name = "API keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
    @Inject
    Outbox outbox;

    @POST
    @PermissionsAllowed(Permissions.API_KEYS)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Issue an API key", description = "admin only. The key is in this answer and never again: "
            + "only its SHA-256 is kept.")
    @APIResponse(responseCode = "201", description = "issued",
            content = @Content(schema = @Schema(implementation = ApiKeyDtos.IssuedApiKey.class)))
    @APIResponse(responseCode = "400", description = "invalid request; errors name each offending field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> issue(@Valid @NotNull ApiKeyDtos.CreateRequest request) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ProblemException.invalid("expiresAt", "must be in the future");
        }
        String key = ApiKeys.generate();
        ApiKey k = new ApiKey();
        k.id = UUID.randomUUID();
        k.name = request.name().trim();
        k.prefix = ApiKeys.prefix(key);
        k.keyHash = ApiKeys.hash(key);
        k.role = request.role();
        k.createdAt = now;
        k.expiresAt = request.expiresAt();
        return k.persist().chain(() -> outbox.publish(Topics.API_KEYS, k.id.toString(), issued(k)))
                .map(v -> Response.created(URI.create("/api-keys/" + k.id)).entity(new ApiKeyDtos.IssuedApiKey(k.id,
                        k.name, k.prefix, k.role, k.createdAt, k.expiresAt, key)).build());
    }

    @GET
    @PermissionsAllowed(Permissions.API_KEYS)
    @WithSession
    @Operation(summary = "List API keys", description = "admin only; each by its prefix, never the key")
    public Uni<List<ApiKeyDtos.ApiKeyResponse>> list() {
        return ApiKey.<ApiKey>list("order by createdAt").map(l -> l.stream().map(ApiKeyResource::view).toList());
    }

    @GET
    @PermissionsAllowed(Permissions.API_KEYS)
    @Path("/{keyId}")
    @WithSession
    @Operation(summary = "Get an API key")
    @APIResponse(responseCode = "200", description = "the key, by its prefix",
            content = @Content(schema = @Schema(implementation = ApiKeyDtos.ApiKeyResponse.class)))
    @APIResponse(responseCode = "404", description = "no such key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ApiKeyDtos.ApiKeyResponse> get(@PathParam("keyId") String keyId) {
        return find(keyId).map(ApiKeyResource::view);
    }

    @DELETE
    @PermissionsAllowed(Permissions.API_KEYS)
    @Path("/{keyId}")
    @WithTransaction
    @Operation(summary = "Revoke an API key", description = "every service refuses it from now on (within a moment: "
            + "the revocation travels on syncline.api-keys). Revoking twice is the same as once.")
    @APIResponse(responseCode = "200", description = "revoked",
            content = @Content(schema = @Schema(implementation = ApiKeyDtos.ApiKeyResponse.class)))
    @APIResponse(responseCode = "404", description = "no such key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ApiKeyDtos.ApiKeyResponse> revoke(@PathParam("keyId") String keyId) {
        return find(keyId).chain(k -> {
            if (k.revokedAt != null) {
                return Uni.createFrom().item(view(k));
            }
            k.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return outbox.publish(Topics.API_KEYS, k.id.toString(), revoked(k)).map(v -> view(k));
        });
    }

    private static Uni<ApiKey> find(String keyId) {
        UUID id;
        try {
            id = UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("API key", keyId);
        }
        return ApiKey.<ApiKey>findById(id).map(k -> {
            if (k == null) {
                throw ProblemException.notFound("API key", keyId);
            }
            return k;
        });
    }

    static ApiKeyDtos.ApiKeyResponse view(ApiKey k) {
        return new ApiKeyDtos.ApiKeyResponse(k.id, k.name, k.prefix, k.role, k.status(OffsetDateTime.now()), k.createdAt,
                k.expiresAt, k.revokedAt);
    }

    static ApiKeyIssued issued(ApiKey k) {
        return ApiKeyIssued.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(java.time.Instant.now())
                .setKeyId(k.id.toString()).setName(k.name).setPrefix(k.prefix).setKeyHash(k.keyHash).setRole(k.role)
                .setCreatedAt(k.createdAt.toInstant()).setExpiresAt(k.expiresAt == null ? null : k.expiresAt.toInstant())
                .build();
    }

    static ApiKeyRevoked revoked(ApiKey k) {
        return ApiKeyRevoked.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(java.time.Instant.now())
                .setKeyId(k.id.toString()).setName(k.name).setPrefix(k.prefix).setKeyHash(k.keyHash).setRole(k.role)
                .setCreatedAt(k.createdAt.toInstant()).setRevokedAt(k.revokedAt.toInstant()).build();
    }
}
