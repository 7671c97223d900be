package dev.syncline.connectors.spi;

import java.util.List;

/** The streams one sync reads and writes. */
public record ConfiguredCatalog(List<ConfiguredStream> streams) {
    public ConfiguredCatalog {
        streams = List.copyOf(streams);
    }
}
