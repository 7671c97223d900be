package dev.syncline.connection.connections;

import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.actor.Actors;
import dev.syncline.connection.mapping.MappingRequest;
import dev.syncline.connection.mapping.MappingValidator;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connection.streams.StreamConfigurator;
import dev.syncline.connection.tags.Tag;
import dev.syncline.connection.timeline.TimelineEvent;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Use cases of connections: create, update, read and page; each state change and its events are written in one
 * transaction. Moves between statuses are {@link ConnectionLifecycle}'s, actions {@link ConnectionActions}', schema
 * changes {@link SchemaReview}'s, the tables written {@link ConnectionTableNames}'.
 */
@ApplicationScoped
public class Connections {
    @Inject
    LimitsConfig limits;

    /** Schedules in seconds too (tests only); the same setting sync-service runs schedules by. */
    @Inject
    dev.syncline.kit.schedule.SchedulesConfig schedules;


    @Inject
    Outbox outbox;

    @Inject
    Actors actors;

    @Inject
    ConnectionTableNames names;

    @Inject
    ConnectionLifecycle lifecycle;

    @Inject
    dev.syncline.connection.notify.NotificationRules notificationRules;

    public Uni<Connection> create(ConnectionDtos.CreateRequest r) {
        return notificationRules.connectionFieldProblems(r.notificationWebhook()).chain(webhook -> create(r, webhook));
    }

    private Uni<Connection> create(ConnectionDtos.CreateRequest r, List<Problem.FieldError> webhookErrors) {
        List<Problem.FieldError> errors = new ArrayList<>(webhookErrors);
        UUID sourceId = uuid(r.sourceId(), "sourceId", errors);
        UUID destinationId = uuid(r.destinationId(), "destinationId", errors);
        errors.addAll(ConnectionSettings.schedule(r.schedule(), schedules.subMinute()));
        errors.addAll(ConnectionSettings.namespace(NamespaceDefinition.orDefault(r.namespaceDefinition()), r.namespaceFormat()));
        if (sourceId == null || destinationId == null) {
            throw ProblemException.invalid(errors);
        }
        List<Problem.FieldError> settingsErrors = new ArrayList<>(errors);
        errors.clear();
        return Connection.count("sourceId = ?1 and status <> ?2", sourceId, ConnectionStatus.DEPRECATED).chain(existing -> {
            if (existing >= limits.connectionsPerSource()) {
                throw ProblemException.conflict("source " + sourceId + " already has " + existing + " connections, the most "
                        + "one source may have (syncline.limits.connections-per-source); delete one first");
            }
            return Actor.<Actor>findById(sourceId);
        }).chain(source -> Actor.<Actor>findById(destinationId).chain(destination -> {
            if (source == null || !source.isSource()) {
                errors.add(new Problem.FieldError("sourceId", "no source with id " + sourceId));
            }
            if (destination == null || destination.isSource()) {
                errors.add(new Problem.FieldError("destinationId", "no destination with id " + destinationId));
            }
            if (!errors.isEmpty()) {
                errors.addAll(settingsErrors);
                throw ProblemException.invalid(errors);
            }
            String name = r.name() == null || r.name().isBlank() ? source.name + " → " + destination.name : r.name().trim();
            Connection c = Connection.create(name, sourceId, destinationId, r);
            boolean activation = actors.isActivation(destination);
            settingsErrors.addAll(mappingProblems(activation, destination, r.mappings(), true));
            return checkTags(r.tags()).invoke(c::tag)
                    .chain(() -> SourceCatalog.<SourceCatalog>findById(sourceId))
                    .chain(sc -> allProblems(Uni.createFrom().deferred(() -> activation
                            ? (r.mappings() == null || r.mappings().isEmpty() ? Uni.createFrom().voidItem()
                                    : map(c, sc, destination, r.mappings()))
                            : configure(c, sc, destination, r.streams() != null)
                                    .invoke(() -> names.check(c, destination, r.streams()))), settingsErrors))
                    .chain(() -> c.<Connection>persist())
                    .call(() -> c.webhookChanged ? notificationRules.fromConnectionField(c.id, c.webhookChange)
                            : Uni.createFrom().voidItem())
                    .call(() -> activation ? Uni.createFrom().voidItem() : names.claim(c, destination, r.streams()))
                    .call(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.created(c)))
                    .call(() -> outbox.publish(Topics.SCHEMA_REQUESTS, c.sourceId.toString(),
                            ConnectionEvents.discoveryRequested(c)))
                    .call(() -> TimelineEvent.of(c.id, "connection_created", "user", "Connection created", null).persist());
        }));
    }

    /**
     * What is wrong with a request's mappings for this destination: an activation destination needs some (at create;
     * an update without them keeps the ones it has), a destination of tables takes none.
     */
    private static List<Problem.FieldError> mappingProblems(boolean activation, Actor destination,
                                                            List<MappingRequest> mappings, boolean creating) {
        if (activation && (creating ? mappings == null || mappings.isEmpty() : mappings != null && mappings.isEmpty())) {
            return List.of(new Problem.FieldError("mappings", "a data activation destination needs mappings: which "
                    + "source stream goes to which object, field by field"));
        }
        if (!activation && mappings != null) {
            return List.of(new Problem.FieldError("mappings", "mappings are for data activation destinations; "
                    + destination.connectorType + " takes streams"));
        }
        return List.of();
    }

    /** Partial update: what the request holds changes, everything is checked again, ConnectionUpdated follows. */
    public Uni<Connection> update(String id, ConnectionDtos.UpdateRequest r) {
        return Connection.byId(id).chain(c -> {
            c.checkNotDeleted();
            boolean sameWebhook = r.notificationWebhook() != null && r.notificationWebhook().equals(c.notificationWebhook);
            return notificationRules.connectionFieldProblems(sameWebhook ? null : r.notificationWebhook())
                    .chain(webhook -> update(c, r, webhook));
        });
    }

    private Uni<Connection> update(Connection c, ConnectionDtos.UpdateRequest r, List<Problem.FieldError> webhookErrors) {
        List<Problem.FieldError> errors = new ArrayList<>(ConnectionSettings.schedule(r.schedule(), schedules.subMinute()));
        errors.addAll(webhookErrors);
        NamespaceDefinition nsDef = r.namespaceDefinition() != null
                ? NamespaceDefinition.orDefault(r.namespaceDefinition()) : c.namespaceDefinition;
        errors.addAll(ConnectionSettings.namespace(nsDef, r.namespaceFormat() != null ? r.namespaceFormat() : c.namespaceFormat));
        boolean enabling = ConnectionStatus.ACTIVE.wireName().equals(r.status());
        dev.syncline.events.ConnectionStateChanged stateChange = r.status() == null ? null
                : enabling ? c.enable() : c.disable();
        List<String> changed = c.change(r);
        Uni<Void> tags = r.tags() == null ? Uni.createFrom().voidItem()
                : checkTags(r.tags()).invoke(ids -> {
                    c.tag(ids);
                    changed.add("tags");
                }).replaceWithVoid();
        if (r.mappings() != null) {
            changed.add("mappings");
        }
        boolean reconfigure = r.streams() != null || r.syncModePreset() != null;
        return tags.chain(() -> Actor.<Actor>findById(c.destinationId)).chain(destination -> {
            boolean activation = actors.isActivation(destination);
            errors.addAll(mappingProblems(activation, destination, r.mappings(), false));
            if (activation && r.streams() != null) {
                errors.add(new Problem.FieldError("streams", "a data activation connection reads the streams its "
                        + "mappings name; change mappings instead"));
            }
            // what decides the tables written: checked again, and so when the connection is enabled (a connection
            // paused because its tables collided must not sync before that is mended)
            boolean naming = !activation && (reconfigure || r.namespaceDefinition() != null
                    || r.namespaceFormat() != null || r.prefix() != null || enabling);
            Uni<Void> work;
            if (activation) {
                work = r.mappings() == null || r.mappings().isEmpty() ? Uni.createFrom().voidItem()
                        : SourceCatalog.<SourceCatalog>findById(c.sourceId)
                                .chain(sc -> Uni.createFrom().deferred(() -> map(c, sc, destination, r.mappings())));
            } else {
                work = reconfigure ? SourceCatalog.<SourceCatalog>findById(c.sourceId)
                        .chain(sc -> Uni.createFrom().deferred(() -> configure(c, sc, destination, true)))
                        : Uni.createFrom().voidItem();
                if (naming) {
                    work = work.invoke(() -> names.check(c, destination, r.streams()));
                }
            }
            return allProblems(work, errors)
                        .call(() -> naming ? names.claim(c, destination, r.streams()) : Uni.createFrom().voidItem())
                        .call(() -> c.webhookChanged ? notificationRules.fromConnectionField(c.id, c.webhookChange)
                                : Uni.createFrom().voidItem())
                        .invoke(c::touch)
                        .chain(() -> lifecycle.published(c, stateChange))
                        .chain(() -> changed.isEmpty() ? Uni.createFrom().voidItem()
                                : outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.updated(c, changed))
                                .chain(() -> TimelineEvent.of(c.id, "settings_updated", "user",
                                        "Settings changed: " + String.join(", ", changed),
                                        Connection.write(Map.of("changedFields", changed))).persist())
                                .replaceWithVoid())
                        .replaceWith(c);
        });
    }

    /**
     * Data activation: the mappings checked against the source's streams and the destination's objects (both must be
     * discovered), completed, and the streams to read derived from them.
     */
    private Uni<Void> map(Connection c, SourceCatalog sourceCatalog, Actor destination, List<MappingRequest> requests) {
        return SourceCatalog.<SourceCatalog>findById(destination.id).map(objects -> {
            for (var cat : new SourceCatalog[] {sourceCatalog, objects}) {
                if (cat == null || !SourceCatalog.DISCOVERED.equals(cat.status)) {
                    String what = cat == sourceCatalog ? "source " + c.sourceId : "destination " + destination.id;
                    throw ProblemException.conflict("the schema of " + what + " is not discovered yet ("
                            + (cat == null ? "pending" : cat.status + (cat.message == null ? "" : ": " + cat.message))
                            + "); map streams once it is");
                }
            }
            Catalog source = actors.readCatalog(sourceCatalog.catalog);
            Catalog destinationObjects = actors.readCatalog(objects.catalog);
            var result = MappingValidator.validate(source, destinationObjects, requests);
            if (!result.errors().isEmpty()) {
                throw ProblemException.invalid(result.errors());
            }
            List<ConnectionDtos.ConfiguredStream> streams = new ArrayList<>();
            for (var m : result.mappings()) {
                var s = source.stream(m.namespace(), m.stream()).orElseThrow();
                Set<String> needed = new HashSet<>(m.cursorField().isEmpty() ? List.of() : List.of(m.cursorField().getFirst()));
                m.fields().forEach(f -> needed.add(f.source().getFirst()));
                streams.add(new ConnectionDtos.ConfiguredStream(m.namespace(), m.stream(), m.syncMode(), DestinationSyncMode.APPEND,
                        m.cursorField(), List.of(), s.fields().stream().filter(f -> needed.contains(f.name())).toList(),
                        m.destinationObject()));
            }
            c.map(result.mappings(), streams);
            return null;
        });
    }

    /** The settings' problems and the streams' problems in one answer. */
    private static Uni<Void> allProblems(Uni<Void> streams, List<Problem.FieldError> settingsErrors) {
        return streams.onFailure(ProblemException.class).transform(t -> {
            ProblemException p = (ProblemException) t;
            if (settingsErrors.isEmpty() || p.status() != 400) {
                return p;
            }
            List<Problem.FieldError> all = new ArrayList<>(settingsErrors);
            all.addAll(p.errors());
            return ProblemException.invalid(all);
        }).invoke(() -> {
            if (!settingsErrors.isEmpty()) {
                throw ProblemException.invalid(settingsErrors);
            }
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
        Catalog catalog = actors.readCatalog(sc.catalog);
        Set<DestinationSyncMode> modes = actors.syncModes(destination);
        StreamConfigurator.Result result = c.streamRequests == null
                ? StreamConfigurator.defaults(catalog, c.preset(), modes)
                : StreamConfigurator.configure(catalog, c.preset(), modes, c.requests());
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
            Set<UUID> known = new HashSet<>(found.stream().map(t -> t.id).toList());
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

    /** A page of connections, filtered; the cursor is where the previous page ended. */
    public Uni<ConnectionDtos.Page> page(String status, String tagId, String sourceId, String destinationId, Integer limit,
                                         String cursor) {
        int max = limit == null ? 50 : limit;
        List<Problem.FieldError> errors = new ArrayList<>();
        if (max < 1 || max > 500) {
            errors.add(new Problem.FieldError("limit", "must be between 1 and 500"));
        }
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (status != null && !status.isBlank()) {
            ConnectionStatus wanted = ConnectionStatus.fromWire(status).orElse(null);
            if (wanted == null) {
                errors.add(new Problem.FieldError("status", "must be one of active, inactive, paused, deprecated"));
            }
            q.append(" and status = :status");
            params.put("status", wanted);
        } else {
            q.append(" and status <> :deleted");
            params.put("deleted", ConnectionStatus.DEPRECATED);
        }
        if (tagId != null && !tagId.isBlank()) {
            UUID t = uuid(tagId, "tagId", errors);
            q.append(" and tags like :tag");
            params.put("tag", "%\"" + t + "\"%");
        }
        if (sourceId != null && !sourceId.isBlank()) {
            q.append(" and sourceId = :sourceId");
            params.put("sourceId", uuid(sourceId, "sourceId", errors));
        }
        if (destinationId != null && !destinationId.isBlank()) {
            q.append(" and destinationId = :destinationId");
            params.put("destinationId", uuid(destinationId, "destinationId", errors));
        }
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8).split("\\|");
                params.put("afterTime", java.time.OffsetDateTime.parse(parts[0]));
                params.put("afterId", UUID.fromString(parts[1]));
                q.append(" and (createdAt > :afterTime or (createdAt = :afterTime and id > :afterId))");
            } catch (RuntimeException e) {
                errors.add(new Problem.FieldError("cursor", "not a cursor this API gave"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return Connection.<Connection>find(q + " order by createdAt, id", params).page(0, max + 1).list().map(list -> {
            boolean more = list.size() > max;
            List<Connection> page = more ? list.subList(0, max) : list;
            String next = null;
            if (more) {
                Connection last = page.getLast();
                next = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((last.createdAt + "|" + last.id)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return new ConnectionDtos.Page(page.stream().map(ConnectionResource::toResponse).toList(), next);
        });
    }

    public Uni<List<ConnectionDtos.TimelineEntry>> timeline(String id, Integer limit) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        return get(id).chain(c -> TimelineEvent.<TimelineEvent>find("connectionId = ?1 order by id desc", c.id).page(0, max).list())
                .map(l -> l.stream().map(e -> new ConnectionDtos.TimelineEntry(e.id, e.occurredAt, e.kind, e.actor, e.summary,
                        Connection.tree(e.details))).toList());
    }

    public Uni<Connection> get(String id) {
        return Connection.byId(id);
    }

    public Uni<List<Connection>> list() {
        return Connection.list("order by createdAt");
    }

    public Uni<ConnectionDtos.CatalogResponse> catalog(String id) {
        return get(id).chain(c -> SourceCatalog.<SourceCatalog>findById(c.sourceId).map(sc ->
                new ConnectionDtos.CatalogResponse(c.id, c.sourceId,
                        sc == null ? SourceCatalog.PENDING : sc.status,
                        sc == null ? null : sc.message,
                        sc == null ? null : sc.catalogVersion,
                        sc == null || sc.catalog == null ? null : actors.readCatalog(sc.catalog),
                        c.streams())));
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
