package dev.syncline.connection.streams;

import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlTargets;
import dev.syncline.kit.problem.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a connection's streams land in an ELT destination, named as the destination names them (today's ELT
 * destinations are SQL ones: {@link SqlIdentifiers#normalize}), and what would collide there: two selected streams on
 * one table ({@code Users} and {@code users}, {@code a-b} and {@code a_b}, {@code ünïcödé} and {@code unicode}, two
 * schemas' {@code users} in the destination's default namespace), two selected fields of a stream on one column, or a
 * table or column in the names Syncline keeps for itself. Only selected streams and fields count. The writers refuse
 * the same at open, as a last defence; here it is said before anything is saved, every problem at once.
 */
public final class DestinationNames {
    /** Tables whose names start so are Syncline's own: the writers refuse them too ({@link SqlTargets}). */
    public static final String OWN_TABLE_PREFIX = SqlTargets.OWN_TABLE_PREFIX;
    /** The columns Syncline adds to every table it writes. */
    public static final List<String> OWN_COLUMNS = SqlTargets.OWN_COLUMNS;

    /**
     * How a connection names what it writes: its namespace definition and format, its prefix, and the destination's
     * default namespace (its configured schema).
     */
    public record Naming(dev.syncline.connection.connections.NamespaceDefinition namespaceDefinition, String namespaceFormat,
                         String prefix, String destinationDefault) {
        /** {@code namespaceDefinition} by its wire name; null: the default. */
        public Naming(String namespaceDefinition, String namespaceFormat, String prefix, String destinationDefault) {
            this(dev.syncline.connection.connections.NamespaceDefinition.orDefault(namespaceDefinition), namespaceFormat,
                    prefix, destinationDefault);
        }
    }

    private DestinationNames() { }

    /**
     * A destination's default namespace: the schema its config names, else the default its spec gives (postgres:
     * public, duckdb: main), as its writer falls back to.
     */
    public static String defaultNamespace(com.fasterxml.jackson.databind.JsonNode config,
                                          java.util.Optional<com.fasterxml.jackson.databind.JsonNode> spec) {
        if (config.path("schema").isTextual()) {
            return config.path("schema").asText();
        }
        return spec.map(sp -> sp.path("properties").path("schema").path("default").asText("")).orElse("");
    }

    /** {@code namespace.table} as the destination will name it, for one stream. */
    public static String table(Naming n, ConnectionDtos.ConfiguredStream s) {
        String namespace = (n.namespaceDefinition() == null ? dev.syncline.connection.connections.NamespaceDefinition.DEFAULT
                : n.namespaceDefinition()).namespaceOf(s.namespace(), n.namespaceFormat());
        String name = (n.prefix() == null ? "" : n.prefix()) + (s.destinationName() != null ? s.destinationName() : s.name());
        return SqlIdentifiers.normalize(namespace != null ? namespace : n.destinationDefault()) + "."
                + SqlIdentifiers.normalize(name);
    }

    /** Each table the streams write ({@code namespace.table}) and the stream writing it; the first stream on a collision. */
    public static Map<String, String> tables(Naming n, List<ConnectionDtos.ConfiguredStream> streams) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConnectionDtos.ConfiguredStream s : streams) {
            out.putIfAbsent(table(n, s), qualified(s));
        }
        return out;
    }

    /**
     * What collides, each problem naming both streams (or both fields) and what to do. {@code requests} are the
     * user's per-stream requests when there are any: a problem then names the request's index ({@code streams[i]}),
     * else the field {@code streams}.
     */
    public static List<Problem.FieldError> collisions(Naming n, List<ConnectionDtos.ConfiguredStream> streams,
                                                      List<StreamRequest> requests) {
        List<Problem.FieldError> out = new ArrayList<>();
        Map<String, ConnectionDtos.ConfiguredStream> byTable = new LinkedHashMap<>();
        for (ConnectionDtos.ConfiguredStream s : streams) {
            String table = table(n, s);
            String tableName = table.substring(table.indexOf('.') + 1);
            ConnectionDtos.ConfiguredStream first = byTable.putIfAbsent(table, s);
            if (first != null) {
                out.add(new Problem.FieldError(at(requests, s, ".destinationName"), "streams " + qualified(first) + " and "
                        + qualified(s) + " would both write table " + table + " (the destination's names are lower case "
                        + "letters, digits and underscores); deselect one, or give one another destinationName"));
            } else if (tableName.startsWith(OWN_TABLE_PREFIX)) {
                out.add(new Problem.FieldError(at(requests, s, ".destinationName"), "stream " + qualified(s)
                        + " would write table " + table + "; names starting with " + OWN_TABLE_PREFIX + " are Syncline's "
                        + "own: give it another destinationName"));
            }
            Map<String, Field> byColumn = new LinkedHashMap<>();
            for (Field f : s.fields()) {
                String column = SqlIdentifiers.normalize(f.name());
                Field other = byColumn.putIfAbsent(column, f);
                if (other != null) {
                    out.add(new Problem.FieldError(at(requests, s, ".selectedFields"), "fields " + other.name() + " and "
                            + f.name() + " of stream " + qualified(s) + " would both write column " + column
                            + "; deselect one of them (selectedFields)"));
                } else if (OWN_COLUMNS.contains(column)) {
                    out.add(new Problem.FieldError(at(requests, s, ".selectedFields"), "field " + f.name() + " of stream "
                            + qualified(s) + " would write column " + column + ", a name Syncline keeps for its own "
                            + "columns; deselect it (selectedFields)"));
                }
            }
        }
        return out;
    }

    private static String at(List<StreamRequest> requests, ConnectionDtos.ConfiguredStream s, String field) {
        if (requests != null) {
            for (int i = 0; i < requests.size(); i++) {
                StreamRequest r = requests.get(i);
                if (!Boolean.FALSE.equals(r.selected()) && r.name().equals(s.name())
                        && Objects.equals(r.namespace(), s.namespace())) {
                    return "streams[" + i + "]" + field;
                }
            }
        }
        return "streams";
    }

    static String qualified(ConnectionDtos.ConfiguredStream s) {
        return StreamConfigurator.qualified(s.namespace(), s.name());
    }
}
