package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Schema table's choices while the user pages through a catalog (10,000 streams are shown 50 at a time): the
 * catalog as discovered, and what was chosen for each stream seen, in the form's own words ({@code s<i>.mode}, ...).
 * A stream never shown keeps the source's defaults. Drafts live in the console's memory for two hours: a console
 * restarted mid-setup shows the schema step again.
 */
@ApplicationScoped
public class SchemaDrafts {
    static final int PAGE_SIZE = 50;
    /** A stream's destination name (the table it is written to, when not its own name): the Schema table's rename. */
    static final String DESTINATION_NAME = "destinationName";
    private static final long TTL_MILLIS = 2 * 60 * 60 * 1000L;
    private static final int MAX = 500;

    /** One setup in progress. */
    public static final class Draft {
        final String id;
        final JsonNode catalog;
        final MultivaluedMap<String, String> values = new MultivaluedHashMap<>();
        /** The destination sync modes the destination writes: what a preset can give each stream. */
        final List<String> destinationModes;
        volatile long touched = System.currentTimeMillis();

        Draft(String id, JsonNode catalog, List<String> destinationModes) {
            this.id = id;
            this.catalog = catalog;
            this.destinationModes = List.copyOf(destinationModes);
        }

        public List<String> destinationModes() {
            return destinationModes;
        }

        public String id() {
            return id;
        }

        public JsonNode catalog() {
            return catalog;
        }

        /** The choices so far, as a form would post them for every stream seen. */
        public synchronized MultivaluedMap<String, String> values() {
            return new MultivaluedHashMap<>(values);
        }

        /** The posted page replaces what was chosen for the streams it showed ({@code shown}: their indexes). */
        synchronized void merge(MultivaluedMap<String, String> form) {
            touched = System.currentTimeMillis();
            List<String> shown = form.get("shown");
            if (shown == null) {
                return;
            }
            for (String index : shown) {
                String prefix = "s" + index + ".";
                // a row posted without its rename input (an older page) keeps the rename, as the row that had none
                boolean renameShown = form.containsKey(prefix + DESTINATION_NAME);
                values.keySet().removeIf(k -> k.startsWith(prefix) && (renameShown || !k.equals(prefix + DESTINATION_NAME)));
                form.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        values.put(k, new java.util.ArrayList<>(v));
                    }
                });
            }
        }

        /** A stream as a connection has it configured (Settings starts from what was set at creation). */
        synchronized void configure(int index, boolean selected, String mode, String cursor, List<String> key,
                                    List<String> fields, String destinationName) {
            String k = "s" + index + ".";
            values.putSingle(k + "touched", "1");
            if (destinationName != null && !destinationName.isBlank()) {
                values.putSingle(k + DESTINATION_NAME, destinationName);
            }
            if (selected) {
                values.putSingle(k + "selected", "on");
            }
            if (mode != null) {
                values.putSingle(k + "mode", mode);
            }
            if (cursor != null) {
                values.putSingle(k + "cursor", cursor);
            }
            if (key != null && !key.isEmpty()) {
                values.put(k + "key", new java.util.ArrayList<>(key));
            }
            if (fields != null) {
                values.putSingle(k + "fieldsShown", "1");
                values.put(k + "field", new java.util.ArrayList<>(fields));
            }
        }

        /** "Select all" (or none) over every stream the filter matches, on every page. */
        synchronized void selectAll(String filter, boolean on) {
            int i = 0;
            for (JsonNode s : catalog.path("streams")) {
                if (matches(s, filter)) {
                    String k = "s" + i + ".";
                    values.putSingle(k + "touched", "1");
                    if (on) {
                        values.putSingle(k + "selected", "on");
                    } else {
                        values.remove(k + "selected");
                    }
                }
                i++;
            }
        }
    }

    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();

    public Draft create(JsonNode catalog, List<String> destinationModes) {
        long now = System.currentTimeMillis();
        drafts.values().removeIf(d -> d.touched < now - TTL_MILLIS);
        if (drafts.size() >= MAX) {
            Iterator<Draft> oldest = drafts.values().stream().sorted((a, b) -> Long.compare(a.touched, b.touched)).iterator();
            drafts.remove(oldest.next().id);
        }
        Draft d = new Draft(UUID.randomUUID().toString(), catalog, destinationModes);
        drafts.put(d.id, d);
        return d;
    }

    /** The draft, or null when there is none of that id (expired, or the console restarted). */
    public Draft get(String id) {
        Draft d = id == null ? null : drafts.get(id);
        if (d != null) {
            d.touched = System.currentTimeMillis();
        }
        return d;
    }

    public void remove(String id) {
        if (id != null) {
            drafts.remove(id);
        }
    }

    /** Whether a stream's name (or namespace.name) contains the filter, case aside. */
    static boolean matches(JsonNode stream, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String f = filter.trim().toLowerCase(Locale.ROOT);
        String name = stream.path("name").asText().toLowerCase(Locale.ROOT);
        String qualified = stream.path("namespace").asText("").toLowerCase(Locale.ROOT) + "." + name;
        return name.contains(f) || qualified.contains(f);
    }
}
