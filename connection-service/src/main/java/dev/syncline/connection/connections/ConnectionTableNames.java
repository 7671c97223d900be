package dev.syncline.connection.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.actor.Actors;
import dev.syncline.connection.streams.DestinationNames;
import dev.syncline.connection.streams.StreamRequest;
import dev.syncline.connection.timeline.TimelineEvent;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tables a connection's streams write in its destination: no two of its streams (or two fields of one) may write
 * one table (or column), and a table is written by one connection. A user's change that breaks this is refused; a
 * change Syncline makes on its own (a first catalog, a schema change) pauses the connection instead.
 */
@ApplicationScoped
public class ConnectionTableNames {
    @Inject
    ConnectorRegistry connectors;

    @Inject
    ObjectMapper json;

    @Inject
    DestinationTables tables;

    @Inject
    Actors actors;

    @Inject
    ConnectionLifecycle lifecycle;

    /** How the connection names what it writes in this destination. */
    private DestinationNames.Naming naming(Connection c, Actor destination) {
        return new DestinationNames.Naming(c.namespaceDefinition, c.namespaceFormat, c.prefix, defaultNamespace(destination));
    }

    private String defaultNamespace(Actor destination) {
        com.fasterxml.jackson.databind.JsonNode config;
        try {
            config = json.readTree(destination.config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored config of " + destination.id + " is not JSON", e);
        }
        return DestinationNames.defaultNamespace(config, connectors.destination(destination.connectorType)
                .map(d -> d.definition().spec()));
    }

    /** The table (namespace.name) stream {@code s} of {@code c} writes in {@code destination}. */
    String table(Connection c, Actor destination, ConnectionDtos.ConfiguredStream s) {
        return DestinationNames.table(naming(c, destination), s);
    }

    /** 400 when two of the connection's streams (or two fields of one) would write one table (or column). */
    void check(Connection c, Actor destination, List<StreamRequest> requests) {
        if (!c.hasConfiguredCatalog()) {
            return;
        }
        List<Problem.FieldError> collisions = DestinationNames.collisions(naming(c, destination), c.streams(), requests);
        if (!collisions.isEmpty()) {
            throw ProblemException.invalid(collisions);
        }
    }

    /** The connection's tables become its own; 409 naming the other connection when one already writes some. */
    Uni<Void> claim(Connection c, Actor destination, List<StreamRequest> requests) {
        Map<String, String> mine = DestinationNames.tables(naming(c, destination), c.streams());
        return tables.claim(c, mine).invoke(taken -> {
            if (!taken.isEmpty()) {
                Map<String, String> fields = new HashMap<>();
                for (ConnectionDtos.ConfiguredStream s : c.streams()) {
                    fields.putIfAbsent(DestinationNames.table(naming(c, destination), s), field(requests, s));
                }
                throw DestinationTables.conflict(taken, fields);
            }
        }).replaceWithVoid();
    }

    private static String field(List<StreamRequest> requests, ConnectionDtos.ConfiguredStream s) {
        for (int i = 0; requests != null && i < requests.size(); i++) {
            if (requests.get(i).name().equals(s.name()) && Objects.equals(requests.get(i).namespace(), s.namespace())) {
                return "streams[" + i + "]";
            }
        }
        return "streams";
    }

    /**
     * What Syncline does on its own (a first catalog, a schema change): why these streams cannot be the connection's,
     * each naming both streams, both fields or the other connection; empty when they can. Activation connections
     * write into objects they do not own: nothing to check.
     */
    Uni<List<String>> problems(Connection c, Actor destination, List<ConnectionDtos.ConfiguredStream> streams) {
        if (actors.isActivation(destination)) {
            return Uni.createFrom().item(List.of());
        }
        DestinationNames.Naming naming = naming(c, destination);
        List<String> problems = new ArrayList<>(DestinationNames.collisions(naming, streams, null).stream()
                .map(Problem.FieldError::message).toList());
        if (!problems.isEmpty()) {
            return Uni.createFrom().item(problems);
        }
        return tables.taken(c.destinationId, c.id, List.copyOf(DestinationNames.tables(naming, streams).keySet()))
                .map(taken -> taken.stream().map(DestinationTables.Taken::describe).toList());
    }

    /** Claims the tables of streams Syncline gave the connection; when another connection took one meanwhile, pauses it. */
    Uni<Void> claimOrPause(Connection c, Actor destination) {
        if (actors.isActivation(destination)) {
            return Uni.createFrom().voidItem();
        }
        return tables.claim(c, DestinationNames.tables(naming(c, destination), c.streams())).chain(taken -> taken.isEmpty()
                ? Uni.createFrom().voidItem()
                : refuse(c, taken.stream().map(DestinationTables.Taken::describe).toList()));
    }

    /**
     * Streams Syncline gave the connection would mix data: an active connection is paused with the reason (a user
     * mends the streams, then enables it), any other says it in its timeline.
     */
    Uni<Void> refuse(Connection c, List<String> problems) {
        String reason = "DESTINATION_NAMES: " + String.join("; ", problems);
        return c.status == ConnectionStatus.ACTIVE ? lifecycle.pause(c, reason)
                : TimelineEvent.of(c.id, "names_collide", "system", "Streams would mix data: " + String.join("; ", problems),
                        null).persist().replaceWithVoid();
    }
}
