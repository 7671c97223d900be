package dev.syncline.connection.connections;

import java.util.Optional;

/**
 * Which namespace (schema) of the destination a stream is written to. The wire name is what the database, the JSON
 * API and the events carry.
 */
public enum NamespaceDefinition {
    /** The stream's own namespace in the source. */
    SOURCE,
    /** The destination's default (its configured schema). */
    DESTINATION,
    /** A format, {@code ${SOURCE_NAMESPACE}} replaced by the stream's namespace. */
    CUSTOM_FORMAT;

    public static final NamespaceDefinition DEFAULT = DESTINATION;
    public static final String SOURCE_NAMESPACE = "${SOURCE_NAMESPACE}";

    /**
     * The namespace a stream of {@code sourceNamespace} is written to; null means the destination's default
     * (a custom format left blank too).
     */
    public String namespaceOf(String sourceNamespace, String format) {
        return switch (this) {
            case SOURCE -> sourceNamespace;
            case CUSTOM_FORMAT -> format == null || format.isBlank() ? null
                    : format.replace(SOURCE_NAMESPACE, sourceNamespace == null ? "" : sourceNamespace);
            case DESTINATION -> null;
        };
    }

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<NamespaceDefinition> fromWire(String text) {
        return WireNames.parse(NamespaceDefinition.class, text);
    }

    /** A request's definition (checked against the wire names by its @Pattern), or the default when absent. */
    public static NamespaceDefinition orDefault(String text) {
        return WireNames.parseOr(NamespaceDefinition.class, text, DEFAULT);
    }

    /** Stored by its wire name, as the column always held it. */
    @jakarta.persistence.Converter
    public static class Column extends WireNames.Column<NamespaceDefinition> {
        public Column() {
            super(NamespaceDefinition.class);
        }
    }
}
