package dev.syncline.connectors;

import dev.syncline.connectors.airbyte.AirbyteProcessSource;
import dev.syncline.connectors.duckdb.DuckDbDestination;
import dev.syncline.connectors.files.FilesSource;
import dev.syncline.connectors.httpapi.HttpApiDestination;
import dev.syncline.connectors.postgres.PostgresDestination;
import dev.syncline.connectors.postgres.PostgresSource;
import dev.syncline.connectors.postgrestable.PostgresTableDestination;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.sample.SampleDataSource;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.SourceConnector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The built-in connectors, by id. Connectors are stateless and shared. */
public final class ConnectorRegistry {
    private final Map<String, SourceConnector> sources;
    private final Map<String, DestinationConnector> destinations;

    public ConnectorRegistry(List<SourceConnector> sources, List<DestinationConnector> destinations) {
        this.sources = sources.stream().collect(Collectors.toUnmodifiableMap(s -> s.definition().id(), Function.identity()));
        this.destinations = destinations.stream()
                .collect(Collectors.toUnmodifiableMap(d -> d.definition().id(), Function.identity()));
    }

    /** Every built-in connector; those that open an address or a file go only where {@code reach} lets them. */
    public static ConnectorRegistry builtIn(ConnectorReach reach) {
        return new ConnectorRegistry(
                List.of(new SampleDataSource(), new PostgresSource(reach), new FilesSource(reach), new AirbyteProcessSource()),
                List.of(new PostgresDestination(reach), new DuckDbDestination(reach), new PostgresTableDestination(reach),
                        new HttpApiDestination(reach)));
    }

    public Optional<SourceConnector> source(String id) {
        return Optional.ofNullable(sources.get(id));
    }

    public Optional<DestinationConnector> destination(String id) {
        return Optional.ofNullable(destinations.get(id));
    }

    public List<ConnectorDefinition> sourceDefinitions() {
        return sources.values().stream().map(SourceConnector::definition)
                .sorted(java.util.Comparator.comparing(ConnectorDefinition::id)).toList();
    }

    public List<ConnectorDefinition> destinationDefinitions() {
        return destinations.values().stream().map(DestinationConnector::definition)
                .sorted(java.util.Comparator.comparing(ConnectorDefinition::id)).toList();
    }

    public List<ConnectorDefinition> definitions() {
        return Stream.concat(sourceDefinitions().stream(), destinationDefinitions().stream()).toList();
    }
}
