package dev.syncline.schema.discovery;

import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.events.FieldChange;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.StreamRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What changed between two catalogs: streams added or removed, fields added, removed or retyped (with paths). */
final class SchemaDiffer {
    private SchemaDiffer() { }

    static SchemaDiff diff(Catalog before, Catalog after) {
        Map<String, Stream> old = byName(before);
        Map<String, Stream> now = byName(after);
        List<StreamRef> added = new ArrayList<>();
        List<StreamRef> removed = new ArrayList<>();
        List<FieldChange> changes = new ArrayList<>();
        now.forEach((key, s) -> {
            Stream o = old.get(key);
            if (o == null) {
                added.add(ref(s));
            } else {
                compare(s, flatten(o.fields(), List.of()), flatten(s.fields(), List.of()), changes);
            }
        });
        old.forEach((key, s) -> {
            if (!now.containsKey(key)) {
                removed.add(ref(s));
            }
        });
        SchemaDiff d = new SchemaDiff();
        d.setStreamsAdded(added);
        d.setStreamsRemoved(removed);
        d.setFieldChanges(changes);
        return d;
    }

    static boolean isEmpty(SchemaDiff d) {
        return d.getStreamsAdded().isEmpty() && d.getStreamsRemoved().isEmpty() && d.getFieldChanges().isEmpty();
    }

    private static void compare(Stream s, Map<List<String>, Field> before, Map<List<String>, Field> after,
                                List<FieldChange> out) {
        after.forEach((path, f) -> {
            Field o = before.get(path);
            if (o == null) {
                out.add(change(s, path, "added", null, f.type().wireName()));
            } else if (o.type() != f.type()) {
                out.add(change(s, path, "type_changed", o.type().wireName(), f.type().wireName()));
            }
        });
        before.forEach((path, f) -> {
            if (!after.containsKey(path)) {
                out.add(change(s, path, "removed", f.type().wireName(), null));
            }
        });
    }

    private static Map<List<String>, Field> flatten(List<Field> fields, List<String> parent) {
        Map<List<String>, Field> out = new LinkedHashMap<>();
        for (Field f : fields) {
            List<String> path = new ArrayList<>(parent);
            path.add(f.name());
            out.put(path, f);
            out.putAll(flatten(f.fields(), path));
        }
        return out;
    }

    private static FieldChange change(Stream s, List<String> path, String kind, String from, String to) {
        FieldChange c = new FieldChange();
        c.setNamespace(s.namespace());
        c.setStream(s.name());
        c.setField(path);
        c.setChange(kind);
        c.setFromType(from);
        c.setToType(to);
        return c;
    }

    private static Map<String, Stream> byName(Catalog c) {
        Map<String, Stream> m = new LinkedHashMap<>();
        for (Stream s : c.streams()) {
            m.put(Objects.toString(s.namespace(), "") + "\u0000" + s.name(), s);
        }
        return m;
    }

    private static StreamRef ref(Stream s) {
        StreamRef r = new StreamRef();
        r.setNamespace(s.namespace());
        r.setName(s.name());
        return r;
    }
}
