package dev.syncline.connectors.spi;

import java.util.List;

/**
 * A stream as a connection syncs it. {@code fields} are the selected fields (in source order);
 * {@code destinationNamespace} null means the destination's default; {@code destinationName} is the
 * table or object name after prefix and renaming. For an activation destination, the records arrive already mapped
 * onto the object's fields, with the insertion method and the destination fields that match them to existing ones.
 */
public record ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode,
                               DestinationSyncMode destinationSyncMode, List<String> cursorField,
                               List<List<String>> primaryKey, String destinationNamespace,
                               String destinationName, InsertionMethod insertionMethod, List<String> matchingKey) {
    public ConfiguredStream {
        fields = List.copyOf(fields);
        cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
        matchingKey = matchingKey == null ? List.of() : List.copyOf(matchingKey);
    }

    public ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode, DestinationSyncMode destinationSyncMode,
                            List<String> cursorField, List<List<String>> primaryKey, String destinationNamespace,
                            String destinationName) {
        this(stream, fields, syncMode, destinationSyncMode, cursorField, primaryKey, destinationNamespace, destinationName,
                null, List.of());
    }

    /** Every field of the stream, full refresh | overwrite, into a table named like the stream. */
    public static ConfiguredStream fullRefreshOverwrite(Stream stream) {
        return new ConfiguredStream(stream, stream.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE,
                stream.defaultCursorField(), stream.sourceDefinedPrimaryKey(), null, stream.name());
    }
}
