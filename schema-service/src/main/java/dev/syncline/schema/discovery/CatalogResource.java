package dev.syncline.schema.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/sources/{sourceId}/catalog")
@Tag(name = "Catalogs")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    @Inject
    ObjectMapper json;

    @Schema(name = "CatalogVersion", description = "catalog holds the page of streams asked for; streamCount all of them")
    public record CatalogResponse(UUID sourceId, @Schema(examples = "1") long version, String hash,
                                  OffsetDateTime discoveredAt, @Schema(examples = "10000") int streamCount,
                                  @Schema(examples = "0") int offset, Catalog catalog) { }

    @Schema(name = "CatalogDiff")
    public record DiffResponse(UUID sourceId, long from, long to,
                               @Schema(description = "streamsAdded, streamsRemoved, fieldChanges (with paths)") Object diff) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "A source's discovered catalog", description = "The latest version, or the one asked for.")
    @APIResponse(responseCode = "200", description = "the catalog",
            content = @Content(schema = @Schema(implementation = CatalogResponse.class)))
    @APIResponse(responseCode = "404", description = "no catalog discovered for this source (yet)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CatalogResponse> get(@PathParam("sourceId") String sourceId,
                                    @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "a catalog version; latest when absent", example = "1")
                                    @QueryParam("version") String versionText,
                                    @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "first stream of the page", example = "0") @QueryParam("offset") String offsetText,
                                    @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "streams per page (1-10000)", example = "500") @QueryParam("limit") String limitText) {
        Long version = dev.syncline.kit.problem.Params.longValue("version", versionText);
        Integer offset = dev.syncline.kit.problem.Params.integer("offset", offsetText);
        Integer limit = dev.syncline.kit.problem.Params.integer("limit", limitText);
        int from = offset == null ? 0 : offset;
        int size = limit == null ? 10_000 : limit;
        if (from < 0) {
            throw ProblemException.invalid("offset", "must be 0 or more");
        }
        if (size < 1 || size > 10_000) {
            throw ProblemException.invalid("limit", "must be between 1 and 10000");
        }
        UUID id;
        try {
            id = UUID.fromString(sourceId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Catalog", sourceId);
        }
        Uni<CatalogVersion> found = version == null
                ? CatalogVersion.<CatalogVersion>find("actorId = ?1 order by version desc", id).firstResult()
                : CatalogVersion.<CatalogVersion>find("actorId = ?1 and version = ?2", id, version).firstResult();
        return found.map(v -> {
            if (v == null) {
                throw ProblemException.notFound("Catalog", sourceId + (version == null ? "" : " version " + version));
            }
            Catalog all = read(v.catalog);
            List<dev.syncline.connectors.spi.Stream> page = all.streams().subList(Math.min(from, all.streams().size()),
                    Math.min(from + size, all.streams().size()));
            return new CatalogResponse(v.actorId, v.version, v.hash, v.discoveredAt, all.streams().size(), from, new Catalog(page));
        });
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/diff")
    @WithSession
    @Operation(summary = "What changed between two catalog versions", description = "Streams added and removed, fields "
            + "added, removed and retyped, with their paths.")
    @APIResponse(responseCode = "200", description = "the diff", content = @Content(schema = @Schema(implementation = DiffResponse.class)))
    @APIResponse(responseCode = "404", description = "no such version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DiffResponse> diff(@PathParam("sourceId") String sourceId,
                                  @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "the older version", example = "1") @QueryParam("from") String fromText,
                                  @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "the newer version", example = "2") @QueryParam("to") String toText) {
        Long from = dev.syncline.kit.problem.Params.longValue("from", fromText);
        Long to = dev.syncline.kit.problem.Params.longValue("to", toText);
        if (from == null || to == null) {
            throw ProblemException.invalid(from == null ? "from" : "to", "a catalog version is required");
        }
        UUID id;
        try {
            id = UUID.fromString(sourceId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Catalog", sourceId);
        }
        return CatalogVersion.<CatalogVersion>find("actorId = ?1 and version = ?2", id, from).firstResult()
                .chain(a -> CatalogVersion.<CatalogVersion>find("actorId = ?1 and version = ?2", id, to).firstResult().map(b -> {
                    if (a == null || b == null) {
                        throw ProblemException.notFound("Catalog", sourceId + " version " + (a == null ? from : to));
                    }
                    var d = SchemaDiffer.diff(read(a.catalog), read(b.catalog));
                    try {
                        return new DiffResponse(id, from, to, json.readTree(d.toString()));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }

    private Catalog read(String text) {
        try {
            return json.readValue(text, Catalog.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
