package dev.syncline.connectors.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A record's data as an array of values in the order of a {@link Layout} shared by every row of a stream: one small
 * object per row instead of a hash map with an entry per field. It is an ordinary read-only {@link Map} to anyone
 * who does not know it; a destination that does can read the values by position ({@link Layout#positions}).
 */
public final class RowData extends AbstractMap<String, Object> {

    /** The field names of a stream's rows, in order, and where each is. Create one per stream, not per row. */
    public static final class Layout {
        private final String[] names;
        private final Map<String, Integer> index;

        public Layout(List<String> names) {
            this.names = names.toArray(String[]::new);
            this.index = new HashMap<>(names.size() * 2);
            for (int i = 0; i < this.names.length; i++) {
                index.putIfAbsent(this.names[i], i);
            }
        }

        public int size() {
            return names.length;
        }

        public String name(int i) {
            return names[i];
        }

        /** The position of {@code name}, or -1. */
        public int indexOf(String name) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }

        /** The position of each of {@code fields} in this layout (-1 where it has none). */
        public int[] positions(List<String> fields) {
            int[] out = new int[fields.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = indexOf(fields.get(i));
            }
            return out;
        }
    }

    private final Layout layout;
    private final Object[] values;

    /** {@code values} is taken as is (not copied): one value per field of {@code layout}, in its order. */
    public RowData(Layout layout, Object[] values) {
        if (values.length != layout.size()) {
            throw new IllegalArgumentException(values.length + " values for " + layout.size() + " fields");
        }
        this.layout = layout;
        this.values = values;
    }

    public Layout layout() {
        return layout;
    }

    /** The value at position {@code i} of the layout (-1: null, as for a field the row does not have). */
    public Object value(int i) {
        return i < 0 ? null : values[i];
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        int i = layout.indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && layout.indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new SimpleImmutableEntry<>(layout.name(at), values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }
}
