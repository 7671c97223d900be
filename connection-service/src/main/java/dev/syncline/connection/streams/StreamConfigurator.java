package dev.syncline.connection.streams;

import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.kit.problem.Problem;
import java.util.ArrayList;
import java.util.List;

import java.util.Optional;
import java.util.Set;

/**
 * Turns what the user asked for (a preset, and optionally per-stream settings) into the connection's configured
 * streams, checked against the source's catalog and the destination's sync modes. Every problem is collected, so
 * one answer lists them all.
 */
public final class StreamConfigurator {
    private StreamConfigurator() { }

    /** The configured streams, or the problems with the request (field paths under {@code streams[i]}). */
    public record Result(List<ConnectionDtos.ConfiguredStream> streams, List<Problem.FieldError> errors) { }

    /** Every stream of the catalog, each in the preset's best mode; a stream no mode fits is left out. */
    public static Result defaults(Catalog catalog, SyncModePreset preset, Set<DestinationSyncMode> destination) {
        List<ConnectionDtos.ConfiguredStream> out = new ArrayList<>();
        for (Stream s : catalog.streams()) {
            SyncModeResolver.resolve(preset, s, destination).ifPresent(m -> out.add(new ConnectionDtos.ConfiguredStream(
                    s.namespace(), s.name(), m.syncMode(), m.destinationSyncMode(),
                    s.defaultCursorField(),
                    s.sourceDefinedPrimaryKey(), s.fields(), null)));
        }
        return new Result(out, List.of());
    }

    public static Result configure(Catalog catalog, SyncModePreset preset, Set<DestinationSyncMode> destination,
                                   List<StreamRequest> requests) {
        List<ConnectionDtos.ConfiguredStream> out = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        // each stream once: one problem per stream listed again, at its second place (10,000 copies make one problem)
        java.util.Map<List<String>, List<Integer>> listed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            listed.computeIfAbsent(java.util.Arrays.asList(requests.get(i).namespace(), requests.get(i).name()),
                    k -> new ArrayList<>()).add(i);
        }
        listed.forEach((stream, at) -> {
            if (at.size() > 1) {
                errors.add(new Problem.FieldError("streams[" + at.get(1) + "]", "stream " + qualified(stream.get(0), stream.get(1))
                        + " is listed " + (at.size() == 2 ? "twice" : at.size() + " times") + ", at streams[" + at.get(0)
                        + "] and streams[" + at.get(1) + "]" + (at.size() > 2 ? " and more" : "") + "; list each stream once"));
            }
        });
        for (int i = 0; i < requests.size(); i++) {
            StreamRequest r = requests.get(i);
            String at = "streams[" + i + "]";
            if (listed.get(java.util.Arrays.asList(r.namespace(), r.name())).getFirst() != i) {
                continue; // listed before
            }
            if (Boolean.FALSE.equals(r.selected())) {
                continue;
            }
            Optional<Stream> found = catalog.stream(r.namespace(), r.name());
            if (found.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".name", "the source has no stream " + qualified(r.namespace(), r.name())));
                continue;
            }
            Stream s = found.get();
            int before = errors.size();
            // cursor and primary key: what the source defines is fixed
            List<String> cursor = r.cursorField() != null && !r.cursorField().isEmpty() ? r.cursorField() : s.defaultCursorField();
            if (s.sourceDefinedCursor() && r.cursorField() != null && !r.cursorField().isEmpty()
                    && !r.cursorField().equals(s.defaultCursorField())) {
                errors.add(new Problem.FieldError(at + ".cursorField", "the source defines the cursor of "
                        + s.name() + " (" + String.join(".", s.defaultCursorField()) + "); it cannot be changed"));
            }
            List<List<String>> pk = r.primaryKey() != null && !r.primaryKey().isEmpty() ? r.primaryKey() : s.sourceDefinedPrimaryKey();
            if (!s.sourceDefinedPrimaryKey().isEmpty() && r.primaryKey() != null && !r.primaryKey().isEmpty()
                    && !r.primaryKey().equals(s.sourceDefinedPrimaryKey())) {
                errors.add(new Problem.FieldError(at + ".primaryKey", "the source defines the primary key of " + s.name()
                        + "; it cannot be changed"));
            }
            // modes: given, or the preset's best for this stream
            SyncModeResolver.Modes modes;
            if (r.syncMode() == null && r.destinationSyncMode() == null) {
                Stream withChoices = new Stream(s.namespace(), s.name(), s.fields(), s.supportedSyncModes(),
                        s.sourceDefinedCursor(), cursor, pk);
                Optional<SyncModeResolver.Modes> m = SyncModeResolver.resolve(preset, withChoices, destination);
                if (m.isEmpty()) {
                    errors.add(new Problem.FieldError(at, "no sync mode of the " + preset.wireName()
                            + " preset fits this stream and destination; choose syncMode and destinationSyncMode"));
                    continue;
                }
                modes = m.get();
            } else {
                modes = new SyncModeResolver.Modes(
                        r.syncMode() != null ? r.syncMode() : SyncMode.FULL_REFRESH,
                        r.destinationSyncMode() != null ? r.destinationSyncMode() : DestinationSyncMode.OVERWRITE);
            }
            if (!s.supportedSyncModes().contains(modes.syncMode())) {
                errors.add(new Problem.FieldError(at + ".syncMode", "the source does not support "
                        + modes.syncMode().wireName() + " for " + s.name()));
            }
            if (!destination.contains(modes.destinationSyncMode())) {
                errors.add(new Problem.FieldError(at + ".destinationSyncMode", "the destination does not support "
                        + modes.destinationSyncMode().wireName()));
            }
            boolean incremental = modes.syncMode() == SyncMode.INCREMENTAL;
            boolean dedup = modes.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                    || modes.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
            if (incremental && cursor.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".cursorField", "incremental needs a cursor field: choose one of "
                        + s.fields().stream().map(Field::name).toList()));
            }
            if (!cursor.isEmpty() && find(s.fields(), cursor) == null) {
                errors.add(new Problem.FieldError(at + ".cursorField", "no field " + String.join(".", cursor) + " in " + s.name()));
            }
            if (dedup && pk.isEmpty()) {
                errors.add(new Problem.FieldError(at + ".primaryKey", modes.destinationSyncMode().wireName()
                        + " needs a primary key"));
            }
            for (List<String> k : pk) {
                if (find(s.fields(), k) == null) {
                    errors.add(new Problem.FieldError(at + ".primaryKey", "no field " + String.join(".", k) + " in " + s.name()));
                }
            }
            // fields: all, or the selected paths (plus what the mode needs, which cannot be deselected)
            List<Field> fields = s.fields();
            if (r.selectedFields() != null && !r.selectedFields().isEmpty()) {
                for (List<String> path : r.selectedFields()) {
                    if (find(s.fields(), path) == null) {
                        errors.add(new Problem.FieldError(at + ".selectedFields", "no field " + String.join(".", path) + " in " + s.name()));
                    }
                }
                if (incremental && !cursor.isEmpty() && !covered(r.selectedFields(), cursor)) {
                    errors.add(new Problem.FieldError(at + ".selectedFields", "the cursor field " + String.join(".", cursor)
                            + " cannot be deselected"));
                }
                if (dedup) {
                    for (List<String> k : pk) {
                        if (!covered(r.selectedFields(), k)) {
                            errors.add(new Problem.FieldError(at + ".selectedFields", "the primary key field "
                                    + String.join(".", k) + " cannot be deselected"));
                        }
                    }
                }
                fields = select(s.fields(), r.selectedFields(), List.of());
            }
            if (errors.size() == before) {
                out.add(new ConnectionDtos.ConfiguredStream(s.namespace(), s.name(), modes.syncMode(),
                        modes.destinationSyncMode(), cursor, pk, fields, r.destinationName()));
            }
        }
        if (out.isEmpty() && errors.isEmpty()) {
            errors.add(new Problem.FieldError("streams", "select at least one stream"));
        }
        return new Result(out, errors);
    }

    public static String qualified(String namespace, String name) {
        return namespace == null ? name : namespace + "." + name;
    }

    static Field find(List<Field> fields, List<String> path) {
        List<Field> level = fields;
        Field found = null;
        for (String part : path) {
            found = level.stream().filter(f -> f.name().equals(part)).findFirst().orElse(null);
            if (found == null) {
                return null;
            }
            level = found.fields();
        }
        return found;
    }

    /** A path is covered by the selection when it, or one of its parents, is selected. */
    static boolean covered(List<List<String>> selection, List<String> path) {
        return selection.stream().anyMatch(p -> p.size() <= path.size() && path.subList(0, p.size()).equals(p));
    }

    /** The selected fields, nested ones kept under their parent (a selected parent keeps all its children). */
    static List<Field> select(List<Field> fields, List<List<String>> selection, List<String> parent) {
        List<Field> out = new ArrayList<>();
        for (Field f : fields) {
            List<String> path = new ArrayList<>(parent);
            path.add(f.name());
            if (covered(selection, path)) {
                out.add(f);
            } else if (selection.stream().anyMatch(p -> p.size() > path.size() && p.subList(0, path.size()).equals(path))) {
                out.add(new Field(f.name(), f.type(), f.nullable(), select(f.fields(), selection, path)));
            }
        }
        return out;
    }

}
