package dev.syncline.connectors.spi;

import java.util.List;
import java.util.Optional;

/** Everything a source offers, as {@code discover} found it. */
public record Catalog(List<Stream> streams) {
    public Catalog {
        streams = List.copyOf(streams);
    }

    public Optional<Stream> stream(String namespace, String name) {
        return streams.stream()
                .filter(s -> s.name().equals(name) && java.util.Objects.equals(s.namespace(), namespace))
                .findFirst();
    }
}
