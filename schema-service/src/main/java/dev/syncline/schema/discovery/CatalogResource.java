package dev.syncline.schema.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
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

    @Schema(name = "CatalogVersion")
    public record CatalogResponse(UUID sourceId, @Schema(examples = "1") long version, String hash,
                                  OffsetDateTime discoveredAt, Catalog catalog) { }

    @GET
    @WithSession
    @Operation(summary = "A source's discovered catalog", description = "The latest version, or the one asked for.")
    @APIResponse(responseCode = "200", description = "the catalog",
            content = @Content(schema = @Schema(implementation = CatalogResponse.class)))
    @APIResponse(responseCode = "404", description = "no catalog discovered for this source (yet)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CatalogResponse> get(@PathParam("sourceId") String sourceId,
                                    @Parameter(description = "a catalog version; latest when absent", example = "1")
                                    @QueryParam("version") Long version) {
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
            try {
                return new CatalogResponse(v.actorId, v.version, v.hash, v.discoveredAt, json.readValue(v.catalog, Catalog.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
