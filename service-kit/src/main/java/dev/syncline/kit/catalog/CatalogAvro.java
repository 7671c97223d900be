package dev.syncline.kit.catalog;

import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.StreamDescriptor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Catalogs between the connectors' types and the events' Avro types. */
public final class CatalogAvro {
    private CatalogAvro() { }

    public static dev.syncline.events.Catalog toAvro(Catalog catalog) {
        dev.syncline.events.Catalog c = new dev.syncline.events.Catalog();
        c.setStreams(catalog.streams().stream().map(CatalogAvro::toAvro).toList());
        return c;
    }

    public static StreamDescriptor toAvro(Stream s) {
        StreamDescriptor d = new StreamDescriptor();
        d.setNamespace(s.namespace());
        d.setName(s.name());
        d.setFields(fieldsToAvro(s.fields()));
        d.setSupportedSyncModes(s.supportedSyncModes().stream().sorted().map(SyncMode::wireName).toList());
        d.setSourceDefinedCursor(s.sourceDefinedCursor());
        d.setDefaultCursorField(s.defaultCursorField());
        d.setSourceDefinedPrimaryKey(s.sourceDefinedPrimaryKey());
        d.setInsertionMethods(s.insertionMethods().stream().map(m -> {
            dev.syncline.events.InsertionMethodDescriptor im = new dev.syncline.events.InsertionMethodDescriptor();
            im.setMethod(m.method().wireName());
            im.setMatchingKeys(m.matchingKeys());
            return im;
        }).toList());
        return d;
    }

    /** Flattens nested fields: each field follows its parent, with its full path. */
    public static List<FieldDescriptor> fieldsToAvro(List<Field> fields) {
        List<FieldDescriptor> out = new ArrayList<>(fields.size());
        flatten(fields, List.of(), out);
        return out;
    }

    private static void flatten(List<Field> fields, List<String> parent, List<FieldDescriptor> out) {
        for (Field f : fields) {
            List<String> path = new ArrayList<>(parent);
            path.add(f.name());
            FieldDescriptor d = new FieldDescriptor();
            d.setPath(path);
            d.setType(f.type().wireName());
            d.setNullable(f.nullable());
            d.setFormat(f.format());
            d.setMaxLength(f.maxLength());
            out.add(d);
            flatten(f.fields(), path, out);
        }
    }

    public static Catalog fromAvro(dev.syncline.events.Catalog c) {
        return new Catalog(c.getStreams().stream().map(CatalogAvro::fromAvro).toList());
    }

    public static Stream fromAvro(StreamDescriptor d) {
        Set<SyncMode> modes = EnumSet.noneOf(SyncMode.class);
        d.getSupportedSyncModes().forEach(m -> SyncMode.fromWireName(m).ifPresent(modes::add));
        List<dev.syncline.connectors.spi.InsertionMethodSpec> methods = new ArrayList<>();
        for (var m : d.getInsertionMethods()) {
            dev.syncline.connectors.spi.InsertionMethod.fromWireName(m.getMethod())
                    .ifPresent(im -> methods.add(new dev.syncline.connectors.spi.InsertionMethodSpec(im, m.getMatchingKeys())));
        }
        return new Stream(d.getNamespace(), d.getName(), fieldsFromAvro(d.getFields()), modes,
                d.getSourceDefinedCursor(), d.getDefaultCursorField(), d.getSourceDefinedPrimaryKey(), methods);
    }

    /** Rebuilds the field tree from the flat list (a parent always comes before its children). */
    public static List<Field> fieldsFromAvro(List<FieldDescriptor> fields) {
        return children(fields, List.of());
    }

    private static List<Field> children(List<FieldDescriptor> all, List<String> parent) {
        List<Field> out = new ArrayList<>();
        for (FieldDescriptor d : all) {
            List<String> path = d.getPath();
            if (path.size() == parent.size() + 1 && path.subList(0, parent.size()).equals(parent)) {
                // an unknown type (from a newer producer) reads as string rather than failing the whole catalog
                FieldType type = FieldType.fromWireName(d.getType()).orElse(FieldType.STRING);
                out.add(new Field(path.getLast(), type, d.getNullable(), children(all, path), d.getFormat(), d.getMaxLength()));
            }
        }
        return out;
    }
}
