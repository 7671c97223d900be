package dev.syncline.connectors.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.ConnectorException;
import java.util.ArrayList;
import java.util.List;

/** The postgres source's settings beyond the connection's. */
record PostgresSourceConfig(PostgresConfig connection, List<String> schemas, int maxParallelStreams, int chunkPages) {

    static PostgresSourceConfig of(JsonNode c, ConnectorReach reach) throws ConnectorException {
        PostgresConfig connection = PostgresConfig.of(c, reach);
        List<String> schemas = new ArrayList<>();
        JsonNode s = c.get("schemas");
        if (s != null && s.isArray()) {
            s.forEach(n -> schemas.add(n.asText()));
        }
        if (schemas.isEmpty()) {
            schemas.add("public");
        }
        int parallel = c.path("max_parallel_streams").asInt(4);
        int pages = c.path("chunk_pages").asInt(4096);
        if (parallel < 1 || pages < 1) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "max_parallel_streams and chunk_pages must be at least 1");
        }
        return new PostgresSourceConfig(connection, List.copyOf(schemas), parallel, pages);
    }
}
