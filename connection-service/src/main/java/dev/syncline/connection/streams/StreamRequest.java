package dev.syncline.connection.streams;

import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.SyncMode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How the user wants one stream synced. Everything but the name is optional: absent settings come from the preset
 * and from what the source defines.
 */
@Schema(name = "StreamConfiguration", examples = """
        {"name": "users", "syncMode": "incremental", "destinationSyncMode": "append_dedup",
         "cursorField": ["updated_at"], "primaryKey": [["id"]], "selectedFields": [["id"], ["email"], ["updated_at"]],
         "destinationName": "app_users"}""")
public record StreamRequest(
        String namespace,
        @NotBlank String name,
        @Schema(description = "default true; false keeps the stream out of the sync") Boolean selected,
        SyncMode syncMode,
        DestinationSyncMode destinationSyncMode,
        List<String> cursorField,
        List<List<String>> primaryKey,
        @Schema(description = "field paths to sync (nested fields too, e.g. [address, city]); default: every field")
        List<List<String>> selectedFields,
        @dev.syncline.kit.text.PlainText @Size(max = 63) @Schema(description = "the table or object name in the destination (before the prefix)")
        String destinationName) { }
