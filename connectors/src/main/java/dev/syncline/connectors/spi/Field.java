package dev.syncline.connectors.spi;

import java.util.List;

/** A field of a stream; an {@link FieldType#OBJECT} may list its nested fields. */
public record Field(String name, FieldType type, boolean nullable, List<Field> fields) {
    public Field {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static Field of(String name, FieldType type) {
        return new Field(name, type, true, List.of());
    }

    public static Field required(String name, FieldType type) {
        return new Field(name, type, false, List.of());
    }
}
