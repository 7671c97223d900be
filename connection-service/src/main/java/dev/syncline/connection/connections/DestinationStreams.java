package dev.syncline.connection.connections;

import dev.syncline.connectors.sql.SqlIdentifiers;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a connection's streams land in its destination, as namespace.table (normalised the way destinations do). */
final class DestinationStreams {
    private DestinationStreams() { }

    /** {@code namespace.table} → the stream that writes it. */
    static Map<String, String> of(Connection c, String destinationDefault) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConnectionDtos.ConfiguredStream s : c.streams()) {
            String namespace = switch (c.namespaceDefinition) {
                case "source" -> s.namespace() != null ? s.namespace() : destinationDefault;
                case "custom_format" -> c.namespaceFormat == null || c.namespaceFormat.isBlank() ? destinationDefault
                        : c.namespaceFormat.replace("${SOURCE_NAMESPACE}", s.namespace() == null ? "" : s.namespace());
                default -> destinationDefault;
            };
            String table = (c.prefix == null ? "" : c.prefix) + (s.destinationName() != null ? s.destinationName() : s.name());
            out.put(SqlIdentifiers.normalize(namespace.isEmpty() ? "default" : namespace) + "." + SqlIdentifiers.normalize(table),
                    s.namespace() == null ? s.name() : s.namespace() + "." + s.name());
        }
        return out;
    }
}
