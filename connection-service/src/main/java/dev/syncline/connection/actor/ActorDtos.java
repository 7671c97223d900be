package dev.syncline.connection.actor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of /sources and /destinations (shaped like Airbyte's public API). */
public final class ActorDtos {
    private ActorDtos() { }

    @Schema(name = "SourceCreateRequest", examples = """
            {"name": "Sample users", "sourceType": "sample-data",
             "configuration": {"seed": 42, "rows": 1000, "malformed_rows": 10}}""")
    public record SourceCreateRequest(
            @dev.syncline.kit.text.PlainText @NotBlank @Size(max = 200) String name,
            @NotBlank @Schema(description = "a connector definition id, see GET /connector-definitions") String sourceType,
            @NotNull @Schema(description = "the connector's settings: see its spec") ObjectNode configuration) { }

    @Schema(name = "DestinationCreateRequest", examples = """
            {"name": "Warehouse", "destinationType": "postgres",
             "configuration": {"host": "127.0.0.1", "port": 5432, "database": "warehouse",
                               "username": "warehouse", "password": "the warehouse user's password", "schema": "public"}}""")
    public record DestinationCreateRequest(
            @dev.syncline.kit.text.PlainText @NotBlank @Size(max = 200) String name,
            @NotBlank @Schema(description = "a connector definition id, see GET /connector-definitions") String destinationType,
            @NotNull ObjectNode configuration) { }

    @Schema(name = "SourceResponse", description = "secret settings are masked as **********")
    public record SourceResponse(UUID sourceId, String name, String sourceType, ObjectNode configuration, Check check,
                                 OffsetDateTime createdAt, OffsetDateTime updatedAt) { }

    @Schema(name = "DestinationResponse", description = "secret settings are masked as **********")
    public record DestinationResponse(UUID destinationId, String name, String destinationType, ObjectNode configuration,
                                      Check check, OffsetDateTime createdAt, OffsetDateTime updatedAt) { }

    @Schema(name = "CheckResult", description = "the last real connection attempt with this configuration")
    public record Check(@Schema(examples = "failed") String status,
                        @Schema(examples = "password authentication failed for user app") String message,
                        OffsetDateTime checkedAt) { }

    @Schema(name = "ActorUpdateRequest", description = "secret settings sent back masked (**********) keep their stored value",
            examples = "{\"name\": \"Warehouse (prod)\", \"configuration\": {\"host\": \"db.internal\", \"port\": 5432, "
                    + "\"database\": \"warehouse\", \"username\": \"loader\", \"password\": \"**********\", \"schema\": \"public\"}}")
    public record UpdateRequest(@dev.syncline.kit.text.PlainText @Size(min = 1, max = 200) String name, ObjectNode configuration) { }
}
