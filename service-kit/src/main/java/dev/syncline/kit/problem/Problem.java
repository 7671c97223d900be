package dev.syncline.kit.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem detail, with the offending fields when the request was invalid. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "application/problem+json (RFC 9457)")
public record Problem(
        @Schema(examples = "https://syncline.dev/problems/invalid-request") String type,
        @Schema(examples = "Invalid request") String title,
        @Schema(examples = "400") int status,
        @Schema(examples = "configuration.port: must be an integer") String detail,
        String instance,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://syncline.dev/problems/";

    /** One offending field: its path in the request body (dotted, with [i] for array items) and what is wrong. */
    public record FieldError(@Schema(examples = "configuration.port") String field,
                             @Schema(examples = "must be an integer") String message) { }
}
