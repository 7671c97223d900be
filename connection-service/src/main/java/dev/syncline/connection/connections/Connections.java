package dev.syncline.connection.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connection.streams.StreamConfigurator;
import dev.syncline.connection.streams.SyncModePreset;
import dev.syncline.connection.tags.Tag;
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
import java.util.Map;
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
        errors.addAll(ConnectionSettings.schedule(r.schedule()));
        String nsDef = r.namespaceDefinition() == null ? "destination" : r.namespaceDefinition();
        errors.addAll(ConnectionSettings.namespace(nsDef, r.namespaceFormat()));
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
            Connection c = Connection.create(name, sourceId, destinationId,
                    r.schedule() == null ? ConnectionDtos.Schedule.manual() : r.schedule(),
                    nsDef, r.namespaceFormat(), r.prefix() == null ? "" : r.prefix());
            c.syncModePreset = (r.syncModePreset() == null ? SyncModePreset.REPLICATE_SOURCE : r.syncModePreset()).wireName();
            c.schemaChangePolicy = r.schemaChangePolicy() == null ? "propagate_columns" : r.schemaChangePolicy();
            c.backfillNewColumns = Boolean.TRUE.equals(r.backfillNewColumns());
            c.notificationWebhook = r.notificationWebhook();
            c.streamRequests = r.streams() == null ? null : Connection.write(r.streams());
            return checkTags(r.tags()).invoke(ids -> c.tags = Connection.write(ids))
                    .chain(() -> SourceCatalog.<SourceCatalog>findById(sourceId))
                    .chain(sc -> configure(c, sc, destination, r.streams() != null))
                    .chain(() -> checkDestinationStreams(c, destination))
                    .chain(() -> c.<Connection>persist())
                    .call(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.created(c)))
                    .call(() -> outbox.publish(Topics.SCHEMA_REQUESTS, c.sourceId.toString(),
                            ConnectionEvents.discoveryRequested(c)));
        }));
    }

    /** Partial update: what the request holds changes, everything is checked again, ConnectionUpdated follows. */
    public Uni<Connection> update(String id, ConnectionDtos.UpdateRequest r) {
        return get(id).chain(c -> {
            if ("deprecated".equals(c.status)) {
                throw ProblemException.conflict("connection " + id + " is deleted");
            }
            List<Problem.FieldError> errors = new ArrayList<>(ConnectionSettings.schedule(r.schedule()));
            String nsDef = r.namespaceDefinition() != null ? r.namespaceDefinition() : c.namespaceDefinition;
            String nsFormat = r.namespaceFormat() != null ? r.namespaceFormat() : c.namespaceFormat;
            errors.addAll(ConnectionSettings.namespace(nsDef, nsFormat));
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            List<String> changed = new ArrayList<>();
            if (r.name() != null) {
                c.name = r.name().trim();
                changed.add("name");
            }
            if (r.schedule() != null) {
                c.schedule = Connection.write(r.schedule());
                changed.add("schedule");
            }
            if (r.namespaceDefinition() != null || r.namespaceFormat() != null) {
                c.namespaceDefinition = nsDef;
                c.namespaceFormat = nsFormat;
                changed.add("namespace");
            }
            if (r.prefix() != null) {
                c.prefix = r.prefix();
                changed.add("prefix");
            }
            if (r.schemaChangePolicy() != null) {
                c.schemaChangePolicy = r.schemaChangePolicy();
                changed.add("schemaChangePolicy");
            }
            if (r.backfillNewColumns() != null) {
                c.backfillNewColumns = r.backfillNewColumns();
                changed.add("backfillNewColumns");
            }
            if (r.notificationWebhook() != null) {
                c.notificationWebhook = r.notificationWebhook().isBlank() ? null : r.notificationWebhook();
                changed.add("notificationWebhook");
            }
            boolean reconfigure = r.streams() != null || r.syncModePreset() != null;
            if (r.syncModePreset() != null) {
                c.syncModePreset = r.syncModePreset().wireName();
                changed.add("syncModePreset");
            }
            if (r.streams() != null) {
                c.streamRequests = Connection.write(r.streams());
                changed.add("streams");
            }
            Uni<Void> tags = r.tags() == null ? Uni.createFrom().voidItem()
                    : checkTags(r.tags()).invoke(ids -> {
                        c.tags = Connection.write(ids);
                        changed.add("tags");
                    }).replaceWithVoid();
            return tags.chain(() -> Actor.<Actor>findById(c.destinationId)).chain(destination ->
                    (reconfigure ? SourceCatalog.<SourceCatalog>findById(c.sourceId)
                            .chain(sc -> configure(c, sc, destination, true)) : Uni.createFrom().voidItem())
                            .chain(() -> checkDestinationStreams(c, destination))
                            .invoke(c::touch)
                            .chain(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.updated(c, changed)))
                            .replaceWith(c));
        });
    }

    /**
     * Gives the connection its streams from the source's catalog: the ones asked for (which needs the catalog now),
     * or by the preset (now if the catalog is known, else when it arrives).
     */
    private Uni<Void> configure(Connection c, SourceCatalog sc, Actor destination, boolean explicit) {
        boolean discovered = sc != null && SourceCatalog.DISCOVERED.equals(sc.status);
        if (!discovered) {
            if (explicit && c.streamRequests != null) {
                throw ProblemException.conflict("the schema of source " + c.sourceId + " is not discovered yet ("
                        + (sc == null ? "pending" : sc.status + (sc.message == null ? "" : ": " + sc.message))
                        + "); configure streams once GET /sources/" + c.sourceId + "/catalog says discovered");
            }
            return sc != null ? Uni.createFrom().voidItem() : SourceCatalog.pending(c.sourceId).persist().replaceWithVoid();
        }
        Catalog catalog = readCatalog(sc.catalog);
        SyncModePreset preset = SyncModePreset.fromJson(c.syncModePreset);
        Set<DestinationSyncMode> modes = destinationModes(destination.connectorType);
        StreamConfigurator.Result result = c.streamRequests == null
                ? StreamConfigurator.defaults(catalog, preset, modes)
                : StreamConfigurator.configure(catalog, preset, modes, c.requests());
        if (!result.errors().isEmpty()) {
            throw ProblemException.invalid(result.errors());
        }
        c.setStreams(result.streams());
        return Uni.createFrom().voidItem();
    }

    /** Tag ids must name existing tags. */
    private Uni<List<String>> checkTags(List<String> tagIds) {
        if (tagIds == null || tagIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < tagIds.size(); i++) {
            UUID u = uuid(tagIds.get(i), "tags[" + i + "]", errors);
            if (u != null) {
                ids.add(u);
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return Tag.<Tag>list("id in ?1", ids).map(found -> {
            Set<UUID> known = new java.util.HashSet<>(found.stream().map(t -> t.id).toList());
            for (int i = 0; i < ids.size(); i++) {
                if (!known.contains(ids.get(i))) {
                    errors.add(new Problem.FieldError("tags[" + i + "]", "no tag with id " + ids.get(i)));
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return ids.stream().distinct().map(UUID::toString).toList();
        });
    }

    /** No two live connections may write the same stream of one destination. */
    private Uni<Void> checkDestinationStreams(Connection c, Actor destination) {
        if (!c.hasConfiguredCatalog()) {
            return Uni.createFrom().voidItem();
        }
        String defaultNamespace = destinationDefaultNamespace(destination);
        Map<String, String> mine = DestinationStreams.of(c, defaultNamespace);
        return Connection.<Connection>list("destinationId = ?1 and id <> ?2 and status <> 'deprecated'", c.destinationId, c.id)
                .map(others -> {
                    List<Problem.FieldError> errors = new ArrayList<>();
                    for (Connection o : others) {
                        Map<String, String> theirs = DestinationStreams.of(o, defaultNamespace);
                        mine.forEach((table, stream) -> {
                            if (theirs.containsKey(table)) {
                                errors.add(new Problem.FieldError("streams", "stream " + stream + " would write " + table
                                        + ", which connection " + o.id + " (" + o.name + ") already writes"));
                            }
                        });
                    }
                    if (!errors.isEmpty()) {
                        throw ProblemException.invalid(errors);
                    }
                    return null;
                });
    }

    private String destinationDefaultNamespace(Actor destination) {
        try {
            return json.readTree(destination.config).path("schema").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
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
