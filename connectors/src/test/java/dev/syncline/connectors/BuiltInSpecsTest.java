package dev.syncline.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.SecretFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings' names are what saved configs hold: renaming a config record's component renames a setting, so every
 * built-in connector's names (in the form's order) and secrets are pinned here.
 */
class BuiltInSpecsTest {
    static final List<String> SERVER = List.of("host", "port", "database", "username", "password");

    static List<String> server(String... more) {
        List<String> all = new java.util.ArrayList<>(SERVER);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void everyConnectorKeepsItsSettingsNamesOrderAndSecrets() {
        ConnectorRegistry registry = ConnectorRegistry.builtIn(ConnectorReach.builder().build());
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (ConnectorDefinition d : registry.definitions()) {
            String key = d.kind() + " " + d.id();
            names.put(key, d.spec().path("properties").properties().stream().map(Map.Entry::getKey).toList());
            secrets.put(key, SecretFields.pointers(d.spec()));
        }
        assertThat(names).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SOURCE airbyte-process", List.of("command", "config", "working_directory", "timeout_seconds", "malformed_records"),
                "SOURCE files", List.of("path", "stream_name", "format", "delimiter", "quote_char", "header", "encoding", "sample_rows"),
                "SOURCE postgres", server("schemas", "max_parallel_streams", "chunk_pages", "readers_per_table", "checkpoint_seconds"),
                "SOURCE sample-data", List.of("seed", "rows", "products", "purchases", "malformed_rows"),
                "DESTINATION_ELT duckdb", List.of("path", "schema"),
                "DESTINATION_ELT postgres", server("schema", "parallel_loads"),
                "DESTINATION_ACTIVATION http-api", List.of("base_url", "auth_header", "auth_token", "check_path", "batch_size",
                        "max_retries", "objects"),
                "DESTINATION_ACTIVATION postgres-table", server("schema", "soft_delete_column")));
        assertThat(secrets).containsExactlyInAnyOrderEntriesOf(Map.of(
                "SOURCE airbyte-process", List.of(), "SOURCE files", List.of(), "SOURCE postgres", List.of("/password"),
                "SOURCE sample-data", List.of(), "DESTINATION_ELT duckdb", List.of(), "DESTINATION_ELT postgres", List.of("/password"),
                "DESTINATION_ACTIVATION http-api", List.of("/auth_token"),
                "DESTINATION_ACTIVATION postgres-table", List.of("/password")));
    }
}
