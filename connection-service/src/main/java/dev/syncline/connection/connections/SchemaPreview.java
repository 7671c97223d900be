package dev.syncline.connection.connections;

import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What approving an ELT connection's pending schema changes would do to each destination table (issue 22, item 2):
 * the streams before and after the change, compared table by table, in the words of what the destination does (a
 * table written in overwrite mode is rebuilt by the next sync; one appended to keeps its columns and gains new ones).
 */
@Schema(name = "SchemaChangePreview", description = "empty tables: no schema change waits", examples = """
        {"tables": [
          {"stream": "public.orders", "table": "public.orders", "effect": "changed", "destinationSyncMode": "append_dedup",
           "refresh": false, "summary": "1 column added, 1 no longer written",
           "columns": [{"column": "email", "change": "added", "fromType": null, "toType": "string",
                        "effect": "added to the table; rows written before have it empty"},
                       {"column": "name", "change": "removed", "fromType": "string", "toType": null,
                        "effect": "stays in the table; rows written from now on have it empty"}]},
          {"stream": "public.customers", "table": "public.customers", "effect": "new_table", "destinationSyncMode": "overwrite",
           "refresh": false, "summary": "created by the next sync with 2 columns", "columns": []}]}""")
public record SchemaPreview(List<Table> tables) {

    /** One destination table: new_table, no_longer_written or changed. */
    public record Table(String stream, String table, String effect, String destinationSyncMode, boolean refresh,
                        String summary, List<Column> columns) { }

    /** One column: added, removed or type_changed, and what the destination does about it. */
    public record Column(String column, String change, String fromType, String toType, String effect) { }

    /**
     * {@code before}: the connection's streams now; {@code after}: as approving would make them; {@code refreshed}:
     * the streams approving refreshes to fill new columns (backfill); {@code table}: the table a stream writes.
     */
    static SchemaPreview of(List<ConnectionDtos.ConfiguredStream> before, List<ConnectionDtos.ConfiguredStream> after,
                            List<ConnectionDtos.ConfiguredStream> refreshed,
                            Function<ConnectionDtos.ConfiguredStream, String> table) {
        Map<String, ConnectionDtos.ConfiguredStream> was = byKey(before);
        Map<String, ConnectionDtos.ConfiguredStream> will = byKey(after);
        Set<String> refreshing = refreshed.stream().map(SchemaPreview::key).collect(Collectors.toSet());
        List<Table> out = new ArrayList<>();
        for (var e : will.entrySet()) {
            ConnectionDtos.ConfiguredStream s = e.getValue();
            ConnectionDtos.ConfiguredStream old = was.get(e.getKey());
            String mode = s.destinationSyncMode() == null ? null : s.destinationSyncMode().wireName();
            if (old == null) {
                out.add(new Table(e.getKey(), table.apply(s), "new_table", mode, false,
                        "created by the next sync with " + s.fields().size() + " columns", List.of()));
                continue;
            }
            List<Column> columns = columns(old, s, overwrite(s.destinationSyncMode()), refreshing.contains(e.getKey()));
            if (!columns.isEmpty()) {
                long added = columns.stream().filter(c -> c.change().equals("added")).count();
                long removed = columns.stream().filter(c -> c.change().equals("removed")).count();
                long changed = columns.size() - added - removed;
                List<String> parts = new ArrayList<>();
                if (added > 0) {
                    parts.add(added + (added == 1 ? " column" : " columns") + " added");
                }
                if (removed > 0) {
                    parts.add(removed + " no longer written");
                }
                if (changed > 0) {
                    parts.add(changed + (changed == 1 ? " type" : " types") + " changed");
                }
                if (overwrite(s.destinationSyncMode())) {
                    parts.add("the next sync rebuilds the table");
                }
                if (refreshing.contains(e.getKey())) {
                    parts.add("approving reads the stream again from the start to fill the new columns");
                }
                out.add(new Table(e.getKey(), table.apply(s), "changed", mode, refreshing.contains(e.getKey()),
                        String.join(", ", parts), columns));
            }
        }
        for (var e : was.entrySet()) {
            if (!will.containsKey(e.getKey())) {
                ConnectionDtos.ConfiguredStream s = e.getValue();
                out.add(new Table(e.getKey(), table.apply(s), "no_longer_written",
                        s.destinationSyncMode() == null ? null : s.destinationSyncMode().wireName(), false,
                        "no longer written: the table and its rows stay as they are", List.of()));
            }
        }
        return new SchemaPreview(out);
    }

    private static List<Column> columns(ConnectionDtos.ConfiguredStream old, ConnectionDtos.ConfiguredStream now,
                                        boolean overwrite, boolean refreshed) {
        Map<String, Field> was = fields(old);
        Map<String, Field> will = fields(now);
        List<Column> out = new ArrayList<>();
        for (var f : will.entrySet()) {
            Field prior = was.get(f.getKey());
            String to = f.getValue().type() == null ? null : f.getValue().type().wireName();
            if (prior == null) {
                out.add(new Column(f.getKey(), "added", null, to, overwrite ? "appears when the next sync rebuilds the table"
                        : refreshed ? "added to the table, and filled in every row by the refresh approving starts"
                        : "added to the table; rows written before have it empty"));
            } else {
                String from = prior.type() == null ? null : prior.type().wireName();
                if (!Objects.equals(from, to)) {
                    out.add(new Column(f.getKey(), "type_changed", from, to, overwrite
                            ? "rebuilt as " + to + " by the next sync"
                            : "keeps its " + from + " type in the table: refresh the stream (remove) to rebuild it as " + to));
                }
            }
        }
        for (var f : was.entrySet()) {
            if (!will.containsKey(f.getKey())) {
                out.add(new Column(f.getKey(), "removed", f.getValue().type() == null ? null : f.getValue().type().wireName(),
                        null, overwrite ? "dropped when the next sync rebuilds the table"
                        : "stays in the table; rows written from now on have it empty"));
            }
        }
        return out;
    }

    private static boolean overwrite(DestinationSyncMode mode) {
        return mode == DestinationSyncMode.OVERWRITE || mode == DestinationSyncMode.OVERWRITE_DEDUP;
    }

    private static Map<String, Field> fields(ConnectionDtos.ConfiguredStream s) {
        Map<String, Field> out = new LinkedHashMap<>();
        for (Field f : s.fields()) {
            out.put(f.name(), f);
        }
        return out;
    }

    private static Map<String, ConnectionDtos.ConfiguredStream> byKey(List<ConnectionDtos.ConfiguredStream> streams) {
        Map<String, ConnectionDtos.ConfiguredStream> out = new LinkedHashMap<>();
        for (ConnectionDtos.ConfiguredStream s : streams) {
            out.put(key(s), s);
        }
        return out;
    }

    private static String key(ConnectionDtos.ConfiguredStream s) {
        return (s.namespace() == null ? "" : s.namespace() + ".") + s.name();
    }
}
