package dev.syncline.connectors.spi;

import java.util.List;

/**
 * A field of a stream or of a destination object; an {@link FieldType#OBJECT} may list its nested fields. A
 * destination object's field may also say its format (email, date, date-time, ...) and maximum length.
 */
public record Field(String name, FieldType type, boolean nullable, List<Field> fields, String format, Integer maxLength) {
    public Field {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public Field(String name, FieldType type, boolean nullable, List<Field> fields) {
        this(name, type, nullable, fields, null, null);
    }

    public static Field of(String name, FieldType type) {
        return new Field(name, type, true, List.of());
    }

    public static Field required(String name, FieldType type) {
        return new Field(name, type, false, List.of());
    }
}
