package dev.syncline.connectors.spi;

import java.util.List;

/**
 * A stream as a connection syncs it. {@code fields} are the selected fields (in source order);
 * {@code destinationNamespace} null means the destination's default; {@code destinationName} is the
 * table or object name after prefix and renaming. For an activation destination, the records arrive already mapped
 * onto the object's fields, with the insertion method and the destination fields that match them to existing ones.
 * {@code generationId} counts the clears and refreshes of the stream (the Airbyte protocol's generation id): an ELT
 * destination writes it into every row ({@code _syncline_generation_id}), so rows of an older generation are told apart.
 * {@code resumeState}, null but in a retry, is the last state of a full refresh | overwrite stream the destination
 * acknowledged in an earlier attempt of the same job: a destination that still holds what it wrote up to there says
 * so ({@link RecordWriter#resumed()}), and the source then reads on from that state instead of from the start.
 */
public record ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode,
                               DestinationSyncMode destinationSyncMode, List<String> cursorField,
                               List<List<String>> primaryKey, String destinationNamespace,
                               String destinationName, InsertionMethod insertionMethod, List<String> matchingKey,
                               long generationId, com.fasterxml.jackson.databind.JsonNode resumeState) {
    public ConfiguredStream {
        fields = List.copyOf(fields);
        cursorField = cursorField == null ? List.of() : List.copyOf(cursorField);
        primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
        matchingKey = matchingKey == null ? List.of() : List.copyOf(matchingKey);
    }

    public ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode, DestinationSyncMode destinationSyncMode,
                            List<String> cursorField, List<List<String>> primaryKey, String destinationNamespace,
                            String destinationName, InsertionMethod insertionMethod, List<String> matchingKey,
                            long generationId) {
        this(stream, fields, syncMode, destinationSyncMode, cursorField, primaryKey, destinationNamespace, destinationName,
                insertionMethod, matchingKey, generationId, null);
    }

    /** A stream of generation 0 (never cleared nor refreshed). */
    public ConfiguredStream(Stream stream, List<Field> fields, SyncMode syncMode, DestinationSyncMode destinationSyncMode,
                            List<String> cursorField, List<List<String>> primaryKey, String destinationNamespace,
                            String destinationName, InsertionMethod insertionMethod, List<String> matchingKey) {
        this(stream, fields, syncMode, destinationSyncMode, cursorField, primaryKey, destinationNamespace, destinationName,
                insertionMethod, matchingKey, 0);
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

    /** This stream written with another destination sync mode (a clear or a removing refresh replaces the rows). */
    public ConfiguredStream withDestinationSyncMode(DestinationSyncMode mode) {
        return new ConfiguredStream(stream, fields, syncMode, mode, cursorField, primaryKey, destinationNamespace,
                destinationName, insertionMethod, matchingKey, generationId, resumeState);
    }

    /** This stream in generation {@code id}. */
    public ConfiguredStream withGenerationId(long id) {
        return new ConfiguredStream(stream, fields, syncMode, destinationSyncMode, cursorField, primaryKey,
                destinationNamespace, destinationName, insertionMethod, matchingKey, id, resumeState);
    }

    /** This stream resuming from {@code state} (see {@link #resumeState()}); null: from the start. */
    public ConfiguredStream withResumeState(com.fasterxml.jackson.databind.JsonNode state) {
        return new ConfiguredStream(stream, fields, syncMode, destinationSyncMode, cursorField, primaryKey,
                destinationNamespace, destinationName, insertionMethod, matchingKey, generationId, state);
    }
}
