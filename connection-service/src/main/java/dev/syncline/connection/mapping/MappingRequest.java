package dev.syncline.connection.mapping;

import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.SyncMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Data activation: how one source stream goes to one destination object. */
@Schema(name = "Mapping", examples = """
        {"stream": "users", "destinationObject": "contacts", "insertionMethod": "upsert", "matchingKey": ["email"],
         "syncMode": "incremental", "cursorField": ["updated_at"],
         "fields": [{"source": ["email"], "destination": "email"}, {"source": ["name"], "destination": "full_name"}]}""")
public record MappingRequest(
        String namespace,
        @NotBlank String stream,
        @dev.syncline.kit.text.PlainText @NotBlank String destinationObject,
        @Schema(description = "default: upsert when the object supports it, else insert") InsertionMethod insertionMethod,
        @Schema(description = "destination fields records are matched by; default: the object's first key for the method")
        List<String> matchingKey,
        SyncMode syncMode,
        List<String> cursorField,
        @NotEmpty List<@Valid FieldMapping> fields) {

    /** One source field (a path; nested fields too) onto one destination field. */
    @Schema(name = "FieldMapping")
    public record FieldMapping(@NotEmpty List<String> source, @NotBlank String destination,
                               @Schema(description = "reading text into a date or timestamp: a pattern such as dd/MM/yyyy; "
                                       + "default ISO 8601", examples = "dd/MM/yyyy") String format) {
        public FieldMapping(List<String> source, String destination) {
            this(source, destination, null);
        }
    }
}
