package dev.syncline.sync.job;

import jakarta.persistence.AttributeConverter;
import java.util.Locale;

/**
 * A closed set (an enum) whose values travel as their names in lower case (in the database, the events and the API),
 * e.g. {@code INCOMPLETE} as {@code "incomplete"}; the converters store each value as its word.
 */
public interface WireNamed {
    /** The name in the database, the events and the API. */
    default String wireName() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E> & WireNamed> E fromWireName(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " " + name);
    }

    /** Stores an enum as its wire name. */
    abstract class Converter<E extends Enum<E> & WireNamed> implements AttributeConverter<E, String> {
        private final Class<E> type;

        protected Converter(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : value.wireName();
        }

        @Override
        public E convertToEntityAttribute(String name) {
            return name == null ? null : fromWireName(type, name);
        }
    }
}
