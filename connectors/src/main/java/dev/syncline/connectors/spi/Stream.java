package dev.syncline.connectors.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A stream a source offers: its fields, the sync modes it supports, and the cursor and primary key
 * the source defines (a source-defined one cannot be changed by the user). An activation destination describes
 * its objects the same way, with the insertion methods each supports (empty for a source's streams).
 */
public record Stream(String namespace, String name, List<Field> fields, Set<SyncMode> supportedSyncModes,
                     boolean sourceDefinedCursor, List<String> defaultCursorField,
                     List<List<String>> sourceDefinedPrimaryKey, List<InsertionMethodSpec> insertionMethods) {
    public Stream {
        fields = List.copyOf(fields);
        supportedSyncModes = supportedSyncModes == null ? Set.of() : Set.copyOf(supportedSyncModes);
        defaultCursorField = defaultCursorField == null ? List.of() : List.copyOf(defaultCursorField);
        sourceDefinedPrimaryKey = sourceDefinedPrimaryKey == null ? List.of() : List.copyOf(sourceDefinedPrimaryKey);
        insertionMethods = insertionMethods == null ? List.of() : List.copyOf(insertionMethods);
    }

    public Stream(String namespace, String name, List<Field> fields, Set<SyncMode> supportedSyncModes,
                  boolean sourceDefinedCursor, List<String> defaultCursorField, List<List<String>> sourceDefinedPrimaryKey) {
        this(namespace, name, fields, supportedSyncModes, sourceDefinedCursor, defaultCursorField, sourceDefinedPrimaryKey,
                List.of());
    }

    public Optional<Field> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** {@code namespace.name}, or just the name when the stream has no namespace. */
    public String qualifiedName() {
        return namespace == null ? name : namespace + "." + name;
    }
}
