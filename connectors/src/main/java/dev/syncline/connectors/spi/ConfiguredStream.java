package dev.syncline.connectors.spi;

import java.util.List;

/**
 * A stream as a connection syncs it. {@code fields} are the selected fields (in source order);
 * {@code destinationNamespace} null means the destination's default; {@code destinationName} is the
 * table or object name after prefix and renaming.
 */
public record ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode,
                               DestinationSyncMode destinationSyncMode, List<String> cursorField,
                               List<List<String>> primaryKey, String destinationNamespace,
                               String destinationName) {
    public ConfiguredStream {
        fields = List.copyOf(fields);
        cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
    }

    /** Every field of the stream, full refresh | overwrite, into a table named like the stream. */
    public static ConfiguredStream fullRefreshOverwrite(Stream stream) {
        return new ConfiguredStream(stream, stream.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE,
                stream.defaultCursorField(), stream.sourceDefinedPrimaryKey(), null, stream.name());
    }
}
