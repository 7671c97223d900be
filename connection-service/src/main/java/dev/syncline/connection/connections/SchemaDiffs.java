package dev.syncline.connection.connections;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.events.FieldChange;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.StreamRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A schema diff as the API and the stored review show it (JSON), and back: what several pending reviews add up to. */
final class SchemaDiffs {
    private SchemaDiffs() { }

    /** The diff as JSON-ready maps: streamsAdded, streamsRemoved, fieldChanges. */
    static Map<String, Object> toMap(SchemaDiff d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("streamsAdded", d.getStreamsAdded().stream().map(r -> refMap(r.getNamespace(), r.getName())).toList());
        m.put("streamsRemoved", d.getStreamsRemoved().stream().map(r -> refMap(r.getNamespace(), r.getName())).toList());
        m.put("fieldChanges", d.getFieldChanges().stream().map(f -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("namespace", f.getNamespace());
            c.put("stream", f.getStream());
            c.put("field", f.getField());
            c.put("change", f.getChange());
            c.put("fromType", f.getFromType());
            c.put("toType", f.getToType());
            return c;
        }).toList());
        return m;
    }

    private static Map<String, Object> refMap(String namespace, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("name", name);
        return m;
    }

    /** The stored diffs (JSON, oldest first) as one diff: every change of each, in order. */
    static SchemaDiff merged(List<JsonNode> diffs) {
        SchemaDiff d = new SchemaDiff();
        d.setStreamsAdded(new ArrayList<>());
        d.setStreamsRemoved(new ArrayList<>());
        d.setFieldChanges(new ArrayList<>());
        for (JsonNode m : diffs) {
            m.path("streamsAdded").forEach(n -> d.getStreamsAdded().add(streamRef(n)));
            m.path("streamsRemoved").forEach(n -> d.getStreamsRemoved().add(streamRef(n)));
            m.path("fieldChanges").forEach(n -> {
                FieldChange fc = new FieldChange();
                fc.setNamespace(n.hasNonNull("namespace") ? n.get("namespace").asText() : null);
                fc.setStream(n.path("stream").asText());
                List<String> path = new ArrayList<>();
                n.path("field").forEach(x -> path.add(x.asText()));
                fc.setField(path);
                fc.setChange(n.path("change").asText());
                fc.setFromType(n.hasNonNull("fromType") ? n.get("fromType").asText() : null);
                fc.setToType(n.hasNonNull("toType") ? n.get("toType").asText() : null);
                d.getFieldChanges().add(fc);
            });
        }
        return d;
    }

    private static StreamRef streamRef(JsonNode n) {
        StreamRef r = new StreamRef();
        r.setNamespace(n.hasNonNull("namespace") ? n.get("namespace").asText() : null);
        r.setName(n.path("name").asText());
        return r;
    }
}
