package dev.syncline.connection.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Use cases of connections; each state change and its events are written in one transaction. */
@ApplicationScoped
public class Connections {
    @Inject
    Outbox outbox;

    @Inject
    ConnectorRegistry connectors;

    @Inject
    ObjectMapper json;

    public Uni<Connection> create(ConnectionDtos.CreateRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        UUID sourceId = uuid(r.sourceId(), "sourceId", errors);
        UUID destinationId = uuid(r.destinationId(), "destinationId", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return Actor.<Actor>findById(sourceId).chain(source -> Actor.<Actor>findById(destinationId).chain(destination -> {
            if (source == null || !source.isSource()) {
                errors.add(new Problem.FieldError("sourceId", "no source with id " + sourceId));
            }
            if (destination == null || destination.isSource()) {
                errors.add(new Problem.FieldError("destinationId", "no destination with id " + destinationId));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            String name = r.name() == null || r.name().isBlank() ? source.name + " → " + destination.name : r.name().trim();
            String nsDef = r.namespaceDefinition() == null ? "destination" : r.namespaceDefinition();
            Connection c = Connection.create(name, sourceId, destinationId,
                    r.schedule() == null ? ConnectionDtos.Schedule.manual() : r.schedule(),
                    nsDef, r.namespaceFormat(), r.prefix() == null ? "" : r.prefix());
            return SourceCatalog.<SourceCatalog>findById(sourceId)
                    .chain(sc -> adoptExisting(c, sc, destination))
                    .chain(() -> c.<Connection>persist())
                    .call(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.created(c)))
                    .call(() -> outbox.publish(Topics.SCHEMA_REQUESTS, c.sourceId.toString(),
                            ConnectionEvents.discoveryRequested(c)));
        }));
    }

    /** A source discovered before gives the new connection its streams at once; otherwise the catalog is pending. */
    private Uni<Void> adoptExisting(Connection c, SourceCatalog sc, Actor destination) {
        if (sc == null) {
            return SourceCatalog.pending(c.sourceId).persist().replaceWithVoid();
        }
        if (SourceCatalog.DISCOVERED.equals(sc.status)) {
            c.adoptDiscoveredCatalog(readCatalog(sc.catalog), destinationModes(destination.connectorType));
            c.version = 1;
        }
        return Uni.createFrom().voidItem();
    }

    /** A source's catalog arrived: every connection of it still waiting for streams gets them. */
    public Uni<Void> adoptCatalog(UUID sourceId, Catalog catalog) {
        return Connection.<Connection>list("sourceId = ?1 and configuredCatalog is null", sourceId)
                .chain(list -> {
                    List<Uni<Void>> work = new ArrayList<>();
                    for (Connection c : list) {
                        work.add(Actor.<Actor>findById(c.destinationId).chain(d -> {
                            if (!c.adoptDiscoveredCatalog(catalog, destinationModes(d.connectorType))) {
                                return Uni.createFrom().voidItem();
                            }
                            return outbox.publish(Topics.CONNECTIONS, c.id.toString(),
                                    ConnectionEvents.updated(c, List.of("configuredCatalog")));
                        }));
                    }
                    // one after the other: a Hibernate Reactive session is not to be used concurrently
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Uni<Void> w : work) {
                        chain = chain.chain(() -> w);
                    }
                    return chain;
                });
    }

    public Uni<Connection> get(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Connection", id);
        }
        return Connection.<Connection>findById(uuid).map(c -> {
            if (c == null) {
                throw ProblemException.notFound("Connection", id);
            }
            return c;
        });
    }

    public Uni<List<Connection>> list() {
        return Connection.list("order by createdAt");
    }

    public Uni<String> requestSync(String id) {
        return get(id).chain(c -> {
            c.checkSyncAllowed();
            String requestId = UUID.randomUUID().toString();
            return outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(), ConnectionEvents.syncRequested(c, requestId))
                    .replaceWith(requestId);
        });
    }

    public Uni<ConnectionDtos.CatalogResponse> catalog(String id) {
        return get(id).chain(c -> SourceCatalog.<SourceCatalog>findById(c.sourceId).map(sc ->
                new ConnectionDtos.CatalogResponse(c.id, c.sourceId,
                        sc == null ? SourceCatalog.PENDING : sc.status,
                        sc == null ? null : sc.message,
                        sc == null ? null : sc.catalogVersion,
                        sc == null || sc.catalog == null ? null : readCatalog(sc.catalog),
                        c.streams())));
    }

    Set<DestinationSyncMode> destinationModes(String destinationType) {
        return connectors.destination(destinationType).map(DestinationConnector::supportedSyncModes)
                .orElse(Set.of(DestinationSyncMode.APPEND));
    }

    private Catalog readCatalog(String text) {
        try {
            return json.readValue(text, Catalog.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored catalog unreadable", e);
        }
    }

    private static UUID uuid(String value, String field, List<Problem.FieldError> errors) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(new Problem.FieldError(field, "'" + value + "' is not a UUID"));
            return null;
        }
    }
}
