package dev.syncline.connection.connections;

import jakarta.persistence.AttributeConverter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The names closed sets travel by: the constant's name in lower case, as the database, the JSON API and the events
 * have always carried them ({@code active}, {@code propagate_columns}, {@code custom_format}).
 */
final class WireNames {
    private WireNames() { }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of that wire name, if there is one (case matters: the wire is lower case). */
    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> of(e).equals(text)).findFirst();
    }

    /** A request's value (checked against the wire names before, by its @Pattern), or {@code absent} when it has none. */
    static <E extends Enum<E>> E parseOr(Class<E> type, String text, E absent) {
        return text == null ? absent : parse(type, text).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + type.getSimpleName() + " '" + text + "'"));
    }

    /** A column that stores a closed set by its wire name; an unknown stored name is a corrupt row. */
    abstract static class Column<E extends Enum<E>> implements AttributeConverter<E, String> {
        private final Class<E> type;

        Column(Class<E> type) {
            this.type = type;
        }

        @Override
        public String convertToDatabaseColumn(E value) {
            return value == null ? null : of(value);
        }

        @Override
        public E convertToEntityAttribute(String text) {
            return text == null ? null : parse(type, text).orElseThrow(() -> new IllegalStateException(
                    "stored " + type.getSimpleName() + " unknown: " + text));
        }
    }
}
