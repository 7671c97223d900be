package dev.syncline.connection.definition;

import dev.syncline.connectors.ConnectorRegistry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.DestinationSyncMode;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/connector-definitions")
@Tag(name = "Connector definitions")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorDefinitionResource {
    /**
     * A connector: its id (the sourceType or destinationType), name, kind and config's JSON Schema; a destination also
     * says which destination sync modes it can write, which decides the mode a sync-mode preset gives each stream.
     */
    @Schema(name = "ConnectorDefinition", examples = """
            {"id": "postgres", "name": "Postgres", "kind": "elt", "spec": {"type": "object", "properties": {}},
             "supportedDestinationSyncModes": ["append", "append_dedup", "overwrite", "overwrite_dedup"]}""")
    public record Definition(String id, String name, ConnectorKind kind, ObjectNode spec,
                             @Schema(description = "destinations: the destination sync modes it writes; empty for a source")
                             List<String> supportedDestinationSyncModes) { }

    @Inject
    ConnectorRegistry connectors;

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Operation(summary = "List the connectors", description = "Each with its kind (source, elt, activation) and the JSON Schema of its config; secret settings carry \"secret\": true.")
    public List<Definition> list(@Parameter(description = "source, elt or activation", example = "source")
                                          @QueryParam("kind") String kind) {
        return connectors.definitions().stream()
                .filter(d -> kind == null || kind.isBlank() || d.kind().wireName().equals(kind))
                .map(d -> new Definition(d.id(), d.name(), d.kind(), d.spec(), (d.kind() == ConnectorKind.SOURCE ? java.util.Optional.<dev.syncline.connectors.spi.DestinationConnector>empty()
                        : connectors.destination(d.id())).map(c -> c.supportedSyncModes().stream().map(DestinationSyncMode::wireName).sorted().toList())
                        .orElse(List.of())))
                .toList();
    }
}
