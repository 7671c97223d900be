package dev.syncline.connection.apikey;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of /api-keys and /me. */
public final class ApiKeyDtos {
    private ApiKeyDtos() { }

    @Schema(name = "ApiKeyCreateRequest", examples = """
            {"name": "CI pipeline", "role": "editor", "expiresAt": "2027-06-30T00:00:00Z"}""")
    public record CreateRequest(
            @dev.syncline.kit.text.PlainText @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = "admin|editor|viewer", message = "must be admin, editor or viewer")
            @Schema(enumeration = {"admin", "editor", "viewer"}) String role,
            @Schema(description = "when the key stops working; none: it works until revoked") OffsetDateTime expiresAt) { }

    @Schema(name = "ApiKey", description = "an API key as a list shows it: its prefix, never the key")
    public record ApiKeyResponse(UUID keyId, @Schema(examples = "CI pipeline") String name,
                                 @Schema(examples = "syk_Q2x9fJ0a") String prefix,
                                 @Schema(examples = "editor") String role,
                                 @Schema(examples = "active", enumeration = {"active", "expired", "revoked"}) String status,
                                 OffsetDateTime createdAt, OffsetDateTime expiresAt, OffsetDateTime revokedAt) { }

    @Schema(name = "IssuedApiKey", description = "the key itself is in this answer only: store it now")
    public record IssuedApiKey(UUID keyId, String name, String prefix, String role, OffsetDateTime createdAt,
                               OffsetDateTime expiresAt,
                               @Schema(examples = "syk_Q2x9fJ0aVb1mXw3...") String key) { }

    @Schema(name = "Me", description = "the API key this request was made with")
    public record Me(@Schema(examples = "5a1f0b7e-3c1d-4a43-9d0e-0f6c8f1a2b3c") String keyId,
                     @Schema(examples = "CI pipeline") String name,
                     @Schema(examples = "syk_Q2x9fJ0a") String prefix,
                     @Schema(examples = "editor") String role) { }
}
