package dev.syncline.connectors.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.SourceMessage;

/**
 * A row's {@code _syncline_meta}: the changes made to its content on the way, the source's (from the record) and the
 * destination's own (a value it could not cast, written as NULL). Written by Jackson, so any field name (quotes,
 * backslashes, control characters) stays valid JSON. Most rows have no changes: they share {@link #NO_CHANGES}.
 */
public final class RowMeta {
    public static final String NO_CHANGES = "{\"changes\":[]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode changes = root.putArray("changes");

    private RowMeta() { }

    /** The record's own changes, or null when it has none. */
    public static RowMeta of(SourceMessage.RecordMessage record) {
        if (record.changes().isEmpty()) {
            return null;
        }
        RowMeta m = new RowMeta();
        for (SourceMessage.Change c : record.changes()) {
            m.changes.addObject().put("field", c.field()).put("change", c.change()).put("reason", c.reason());
        }
        return m;
    }

    /** {@code meta} (made when null) noting that {@code field} was written as NULL: {@code error} says why. */
    public static RowMeta typecastNulled(RowMeta meta, String field, String error) {
        RowMeta m = meta != null ? meta : new RowMeta();
        m.changes.addObject().put("field", field).put("change", "NULLED").put("reason", "DESTINATION_TYPECAST_ERROR")
                .put("message", error);
        return m;
    }

    /** The JSON of {@code meta}; {@link #NO_CHANGES} for null. */
    public static String json(RowMeta meta) {
        return meta == null ? NO_CHANGES : meta.root.toString();
    }
}
