package dev.syncline.connection.definition;

import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.kit.auth.Permissions;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/connector-definitions")
@Tag(name = "Connector definitions")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorDefinitionResource {
    @Inject
    ConnectorRegistry connectors;

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Operation(summary = "List the connectors", description = "Each with its kind (source, elt, activation) and the JSON Schema of its config; secret settings carry \"secret\": true.")
    public List<ConnectorDefinition> list(@Parameter(description = "source, elt or activation", example = "source")
                                          @QueryParam("kind") String kind) {
        return connectors.definitions().stream()
                .filter(d -> kind == null || kind.isBlank() || d.kind().wireName().equals(kind))
                .toList();
    }
}
