package dev.syncline.connection.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationConnector;
import dev.syncline.connection.streams.DestinationNames;
import dev.syncline.connection.streams.StreamConfigurator;
import dev.syncline.connection.streams.SyncModePreset;
import dev.syncline.connection.tags.Tag;
import dev.syncline.connection.timeline.TimelineEvent;
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
    LimitsConfig limits;

    /** Schedules in seconds too (tests only); the same setting sync-service runs schedules by. */
    @Inject
    dev.syncline.kit.schedule.SchedulesConfig schedules;

    @Inject
    Outbox outbox;

    @Inject
    ConnectorRegistry connectors;

    @Inject
    ObjectMapper json;

    @Inject
    DestinationTables tables;

    public Uni<Connection> create(ConnectionDtos.CreateRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        UUID sourceId = uuid(r.sourceId(), "sourceId", errors);
        UUID destinationId = uuid(r.destinationId(), "destinationId", errors);
        errors.addAll(ConnectionSettings.schedule(r.schedule(), schedules.subMinute()));
        String nsDef = r.namespaceDefinition() == null ? "destination" : r.namespaceDefinition();
        errors.addAll(ConnectionSettings.namespace(nsDef, r.namespaceFormat()));
        if (sourceId == null || destinationId == null) {
            throw ProblemException.invalid(errors);
        }
        List<Problem.FieldError> settingsErrors = new ArrayList<>(errors);
        errors.clear();
        return Connection.count("sourceId = ?1 and status <> 'deprecated'", sourceId).chain(existing -> {
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
            Connection c = Connection.create(name, sourceId, destinationId,
                    r.schedule() == null ? ConnectionDtos.Schedule.manual() : r.schedule(),
                    nsDef, r.namespaceFormat(), r.prefix() == null ? "" : r.prefix());
            c.syncModePreset = (r.syncModePreset() == null ? SyncModePreset.REPLICATE_SOURCE : r.syncModePreset()).wireName();
            c.schemaChangePolicy = r.schemaChangePolicy() == null ? "propagate_columns" : r.schemaChangePolicy();
            c.backfillNewColumns = Boolean.TRUE.equals(r.backfillNewColumns());
            c.retryRejectedRecords = !Boolean.FALSE.equals(r.retryRejectedRecords());
            c.notificationWebhook = r.notificationWebhook();
            c.streamRequests = r.streams() == null ? null : Connection.write(r.streams());
            boolean activation = isActivation(destination);
            if (activation && (r.mappings() == null || r.mappings().isEmpty())) {
                settingsErrors.add(new Problem.FieldError("mappings", "a data activation destination needs mappings: which "
                        + "source stream goes to which object, field by field"));
            }
            if (!activation && r.mappings() != null) {
                settingsErrors.add(new Problem.FieldError("mappings", "mappings are for data activation destinations; "
                        + destination.connectorType + " takes streams"));
            }
            return checkTags(r.tags()).invoke(ids -> c.tags = Connection.write(ids))
                    .chain(() -> SourceCatalog.<SourceCatalog>findById(sourceId))
                    .chain(sc -> allProblems(Uni.createFrom().deferred(() -> activation
                            ? (r.mappings() == null || r.mappings().isEmpty() ? Uni.createFrom().voidItem()
                                    : map(c, sc, destination, r.mappings()))
                            : configure(c, sc, destination, r.streams() != null)
                                    .invoke(() -> checkNames(c, destination, r.streams()))), settingsErrors))
                    .chain(() -> c.<Connection>persist())
                    .call(() -> activation ? Uni.createFrom().voidItem() : claimTables(c, destination, r.streams()))
                    .call(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.created(c)))
                    .call(() -> outbox.publish(Topics.SCHEMA_REQUESTS, c.sourceId.toString(),
                            ConnectionEvents.discoveryRequested(c)))
                    .call(() -> TimelineEvent.of(c.id, "connection_created", "user", "Connection created", null).persist());
        }));
    }

    /** Partial update: what the request holds changes, everything is checked again, ConnectionUpdated follows. */
    public Uni<Connection> update(String id, ConnectionDtos.UpdateRequest r) {
        return get(id).chain(c -> {
            if ("deprecated".equals(c.status)) {
                throw ProblemException.conflict("connection " + id + " is deleted");
            }
            List<Problem.FieldError> errors = new ArrayList<>(ConnectionSettings.schedule(r.schedule(), schedules.subMinute()));
            String nsDef = r.namespaceDefinition() != null ? r.namespaceDefinition() : c.namespaceDefinition;
            String nsFormat = r.namespaceFormat() != null ? r.namespaceFormat() : c.namespaceFormat;
            errors.addAll(ConnectionSettings.namespace(nsDef, nsFormat));
            List<String> changed = new ArrayList<>();
            dev.syncline.events.ConnectionStateChanged stateChange = r.status() == null ? null
                    : c.changeState(r.status(), "user", "active".equals(r.status()) ? "enabled" : "disabled");
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
            if (r.retryRejectedRecords() != null) {
                c.retryRejectedRecords = r.retryRejectedRecords();
                changed.add("retryRejectedRecords");
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
            if (r.mappings() != null) {
                changed.add("mappings");
            }
            return tags.chain(() -> Actor.<Actor>findById(c.destinationId)).chain(destination -> {
                boolean activation = isActivation(destination);
                if (!activation && r.mappings() != null) {
                    errors.add(new Problem.FieldError("mappings", "mappings are for data activation destinations; "
                            + destination.connectorType + " takes streams"));
                }
                if (activation && r.mappings() != null && r.mappings().isEmpty()) {
                    errors.add(new Problem.FieldError("mappings", "a data activation destination needs mappings: which "
                            + "source stream goes to which object, field by field"));
                }
                if (activation && r.streams() != null) {
                    errors.add(new Problem.FieldError("streams", "a data activation connection reads the streams its "
                            + "mappings name; change mappings instead"));
                }
                // what decides the tables written: checked again, and so when the connection is enabled (a connection
                // paused because its tables collided must not sync before that is mended)
                boolean naming = !activation && (reconfigure || r.namespaceDefinition() != null
                        || r.namespaceFormat() != null || r.prefix() != null || "active".equals(r.status()));
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
                        work = work.invoke(() -> checkNames(c, destination, r.streams()));
                    }
                }
                return allProblems(work, errors)
                            .call(() -> naming ? claimTables(c, destination, r.streams()) : Uni.createFrom().voidItem())
                            .invoke(c::touch)
                            .chain(() -> stateChange == null ? Uni.createFrom().voidItem() : stateChanged(c, stateChange))
                            .chain(() -> changed.isEmpty() ? Uni.createFrom().voidItem()
                                    : outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.updated(c, changed))
                                    .chain(() -> TimelineEvent.of(c.id, "settings_updated", "user",
                                            "Settings changed: " + String.join(", ", changed),
                                            Connection.write(java.util.Map.of("changedFields", changed))).persist())
                                    .replaceWithVoid())
                            .replaceWith(c);
            });
        });
    }

    private boolean isActivation(Actor destination) {
        return connectors.destination(destination.connectorType)
                .map(d -> d.definition().kind() == dev.syncline.connectors.spi.ConnectorKind.DESTINATION_ACTIVATION).orElse(false);
    }

    /**
     * Data activation: the mappings checked against the source's streams and the destination's objects (both must be
     * discovered), completed, and the streams to read derived from them.
     */
    private Uni<Void> map(Connection c, SourceCatalog sourceCatalog, Actor destination,
                          List<dev.syncline.connection.mapping.MappingRequest> requests) {
        return SourceCatalog.<SourceCatalog>findById(destination.id).map(objects -> {
            for (var cat : new SourceCatalog[] {sourceCatalog, objects}) {
                if (cat == null || !SourceCatalog.DISCOVERED.equals(cat.status)) {
                    String what = cat == sourceCatalog ? "source " + c.sourceId : "destination " + destination.id;
                    throw ProblemException.conflict("the schema of " + what + " is not discovered yet ("
                            + (cat == null ? "pending" : cat.status + (cat.message == null ? "" : ": " + cat.message))
                            + "); map streams once it is");
                }
            }
            Catalog source = readCatalog(sourceCatalog.catalog);
            Catalog destinationObjects = readCatalog(objects.catalog);
            var result = dev.syncline.connection.mapping.MappingValidator.validate(source, destinationObjects, requests);
            if (!result.errors().isEmpty()) {
                throw ProblemException.invalid(result.errors());
            }
            c.mappings = Connection.write(result.mappings());
            List<ConnectionDtos.ConfiguredStream> streams = new ArrayList<>();
            for (var m : result.mappings()) {
                var s = source.stream(m.namespace(), m.stream()).orElseThrow();
                java.util.Set<String> needed = new java.util.HashSet<>(m.cursorField().isEmpty() ? List.of() : List.of(m.cursorField().getFirst()));
                m.fields().forEach(f -> needed.add(f.source().getFirst()));
                streams.add(new ConnectionDtos.ConfiguredStream(m.namespace(), m.stream(), m.syncMode(), DestinationSyncMode.APPEND,
                        m.cursorField(), List.of(), s.fields().stream().filter(f -> needed.contains(f.name())).toList(),
                        m.destinationObject()));
            }
            c.setStreams(streams);
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

    /** 400 when two of the connection's streams (or two fields of one) would write one table (or column). */
    private void checkNames(Connection c, Actor destination, List<dev.syncline.connection.streams.StreamRequest> requests) {
        if (!c.hasConfiguredCatalog()) {
            return;
        }
        List<Problem.FieldError> collisions = DestinationNames.collisions(naming(c, destination), c.streams(), requests);
        if (!collisions.isEmpty()) {
            throw ProblemException.invalid(collisions);
        }
    }

    /** The connection's tables become its own; 409 naming the other connection when one already writes some. */
    private Uni<Void> claimTables(Connection c, Actor destination, List<dev.syncline.connection.streams.StreamRequest> requests) {
        Map<String, String> mine = DestinationNames.tables(naming(c, destination), c.streams());
        return tables.claim(c, mine).invoke(taken -> {
            if (!taken.isEmpty()) {
                Map<String, String> fields = new java.util.HashMap<>();
                for (ConnectionDtos.ConfiguredStream s : c.streams()) {
                    fields.putIfAbsent(DestinationNames.table(naming(c, destination), s), field(requests, s));
                }
                throw DestinationTables.conflict(taken, fields);
            }
        }).replaceWithVoid();
    }

    private static String field(List<dev.syncline.connection.streams.StreamRequest> requests, ConnectionDtos.ConfiguredStream s) {
        for (int i = 0; requests != null && i < requests.size(); i++) {
            if (requests.get(i).name().equals(s.name()) && java.util.Objects.equals(requests.get(i).namespace(), s.namespace())) {
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
    private Uni<List<String>> nameProblems(Connection c, Actor destination, List<ConnectionDtos.ConfiguredStream> streams) {
        if (isActivation(destination)) {
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
    private Uni<Void> claimOrPause(Connection c, Actor destination) {
        if (isActivation(destination)) {
            return Uni.createFrom().voidItem();
        }
        return tables.claim(c, DestinationNames.tables(naming(c, destination), c.streams())).chain(taken -> taken.isEmpty()
                ? Uni.createFrom().voidItem()
                : refuseNames(c, taken.stream().map(DestinationTables.Taken::describe).toList()));
    }

    /**
     * Streams Syncline gave the connection would mix data: an active connection is paused with the reason (a user
     * mends the streams, then enables it), any other says it in its timeline.
     */
    private Uni<Void> refuseNames(Connection c, List<String> problems) {
        String reason = "DESTINATION_NAMES: " + String.join("; ", problems);
        return "active".equals(c.status) ? pause(c, reason)
                : TimelineEvent.of(c.id, "names_collide", "system", "Streams would mix data: " + String.join("; ", problems),
                        null).persist().replaceWithVoid();
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
                            // paused before its streams are published when they would mix data, so no sync starts
                            return nameProblems(c, d, c.streams())
                                    .chain(problems -> problems.isEmpty() ? claimOrPause(c, d) : refuseNames(c, problems))
                                    .chain(() -> outbox.publish(Topics.CONNECTIONS, c.id.toString(),
                                            ConnectionEvents.updated(c, List.of("configuredCatalog"))));
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

    /**
     * A new catalog of a source: each connection of it applies its schema-change policy; a breaking change pauses
     * the connection whatever the policy.
     */
    public Uni<Void> applySchemaChange(UUID sourceId, Catalog before, Catalog after, dev.syncline.events.SchemaDiff diff,
                                       long version) {
        if (dev.syncline.connection.streams.SchemaChanges.isEmpty(diff)) {
            return Uni.createFrom().voidItem();
        }
        return Connection.<Connection>list("sourceId = ?1 and status <> 'deprecated' and configuredCatalog is not null", sourceId)
                .chain(list -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Connection c : list) {
                        chain = chain.chain(() -> Actor.<Actor>findById(c.destinationId)
                                .chain(d -> applySchemaChange(c, d, before, after, diff, version)));
                    }
                    return chain;
                });
    }

    private Uni<Void> applySchemaChange(Connection c, Actor destination, Catalog before, Catalog after,
                                        dev.syncline.events.SchemaDiff diff, long version) {
        List<String> breaking = dev.syncline.connection.streams.SchemaChanges.breaking(c.streams(), before, after, diff);
        String diffJson = Connection.write(diffMap(diff));
        if (!breaking.isEmpty()) {
            String reason = "SCHEMA_CHANGE_BREAKING: " + String.join("; ", breaking);
            return pending(c, version, diffJson, String.join("; ", breaking))
                    .chain(() -> "paused".equals(c.status) || "inactive".equals(c.status)
                            ? TimelineEvent.of(c.id, "schema_changed", "system", "Breaking schema change: "
                                    + String.join("; ", breaking), diffJson).persist().replaceWithVoid()
                            : pause(c, reason));
        }
        Set<DestinationSyncMode> modes = destinationModes(destination.connectorType);
        return switch (c.schemaChangePolicy) {
            case "ignore" -> pending(c, version, diffJson, null).chain(() -> TimelineEvent.of(c.id, "schema_changed", "system",
                    "Schema changes waiting for review", diffJson).persist()).replaceWithVoid();
            case "disable" -> pending(c, version, diffJson, null).chain(() -> TimelineEvent.of(c.id, "schema_changed", "system",
                    "Schema changed: syncs stopped until reviewed", diffJson).persist())
                    .chain(() -> "active".equals(c.status) ? pause(c, "SCHEMA_CHANGE: the source's schema changed; "
                            + "review it (policy disable)") : Uni.createFrom().voidItem());
            default -> {
                var streams = "propagate_fully".equals(c.schemaChangePolicy)
                        ? dev.syncline.connection.streams.SchemaChanges.propagateFully(c.streams(), after, diff,
                                SyncModePreset.fromJson(c.syncModePreset), modes)
                        : dev.syncline.connection.streams.SchemaChanges.propagateColumns(c.streams(), after, diff);
                // a change that would mix data is not applied: it waits for review, saying why
                yield nameProblems(c, destination, streams).chain(problems -> problems.isEmpty()
                        ? propagate(c, streams, diff, diffJson, "Schema changes applied (" + c.schemaChangePolicy + ")")
                                .chain(() -> claimOrPause(c, destination))
                        : pending(c, version, diffJson, null).chain(() -> TimelineEvent.of(c.id, "schema_changed", "system",
                                "Schema changes not applied, they would mix data: " + String.join("; ", problems)
                                        + ". Mend the streams, then approve", diffJson).persist()).replaceWithVoid());
            }
        };
    }

    /** New streams for the connection after a schema change; a backfill of new columns when the user wants it. */
    private Uni<Void> propagate(Connection c, List<ConnectionDtos.ConfiguredStream> streams, dev.syncline.events.SchemaDiff diff,
                                String diffJson, String summary) {
        c.setStreams(streams);
        Uni<Void> done = outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.updated(c, List.of("schema")))
                .chain(() -> TimelineEvent.of(c.id, "schema_changed", "system", summary, diffJson).persist())
                .replaceWithVoid();
        var backfill = c.backfillNewColumns
                ? dev.syncline.connection.streams.SchemaChanges.needingBackfill(streams, diff) : List.<ConnectionDtos.ConfiguredStream>of();
        if (!backfill.isEmpty()) {
            done = done.chain(() -> outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(),
                    ConnectionEvents.refreshRequested(c, UUID.randomUUID().toString(), backfill, "retain")));
        }
        return done;
    }

    private Uni<Void> pending(Connection c, long version, String diffJson, String breaking) {
        return dev.syncline.connection.schema.SchemaChange.update("status = 'superseded' where connectionId = ?1 and status = 'pending'", c.id)
                .chain(() -> {
                    var sc = new dev.syncline.connection.schema.SchemaChange();
                    sc.connectionId = c.id;
                    sc.catalogVersion = version;
                    sc.diff = diffJson;
                    sc.breaking = breaking;
                    sc.status = "pending";
                    sc.createdAt = java.time.OffsetDateTime.now();
                    return sc.persist();
                }).replaceWithVoid();
    }

    /** The pending schema changes of a connection. */
    public Uni<List<java.util.Map<String, Object>>> schemaChanges(String id) {
        return get(id).chain(c -> dev.syncline.connection.schema.SchemaChange
                .<dev.syncline.connection.schema.SchemaChange>list("connectionId = ?1 and status = 'pending' order by id", c.id))
                .map(list -> list.stream().map(sc -> {
                    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("id", sc.id);
                    m.put("catalogVersion", sc.catalogVersion);
                    m.put("breaking", sc.breaking);
                    m.put("diff", readJson(sc.diff));
                    m.put("createdAt", sc.createdAt);
                    return m;
                }).toList());
    }

    /** The user approves: the source's current schema is applied fully (new streams, removed streams, columns). */
    public Uni<Connection> approveSchemaChanges(String id) {
        return get(id).chain(c -> dev.syncline.connection.schema.SchemaChange
                .<dev.syncline.connection.schema.SchemaChange>list("connectionId = ?1 and status = 'pending' order by id", c.id)
                .chain(pendingChanges -> {
                    if (pendingChanges.isEmpty()) {
                        throw ProblemException.conflict("connection " + id + " has no schema change to approve");
                    }
                    return SourceCatalog.<SourceCatalog>findById(c.sourceId).chain(sc -> Actor.<Actor>findById(c.destinationId)
                            .chain(d -> {
                                Catalog now = readCatalog(sc.catalog);
                                dev.syncline.events.SchemaDiff merged = mergedDiff(pendingChanges);
                                // the stored catalog must hold what is approved: while a discovery of the source is
                                // being applied it can lag behind the change shown, and approving would apply nothing
                                boolean behind = merged.getStreamsAdded().stream()
                                        .anyMatch(r -> now.stream(r.getNamespace(), r.getName()).isEmpty())
                                        || merged.getFieldChanges().stream().filter(f -> "added".equals(f.getChange()))
                                        .anyMatch(f -> now.stream(f.getNamespace(), f.getStream())
                                                .flatMap(st -> st.field(f.getField().getFirst())).isEmpty());
                                if (behind) {
                                    throw ProblemException.conflict("the source's schema is being refreshed; approve again "
                                            + "in a moment");
                                }
                                var streams = dev.syncline.connection.streams.SchemaChanges.propagateFully(c.streams(), now,
                                        merged, SyncModePreset.fromJson(c.syncModePreset), destinationModes(d.connectorType));
                                pendingChanges.forEach(p -> p.status = "approved");
                                boolean activation = isActivation(d);
                                return propagate(c, streams, merged, Connection.write(diffMap(merged)), "Schema changes approved")
                                        .invoke(() -> {
                                            if (!activation) {
                                                checkNames(c, d, null);
                                            }
                                        })
                                        .call(() -> activation ? Uni.createFrom().voidItem() : claimTables(c, d, null))
                                        .replaceWith(c);
                            }));
                }));
    }

    private dev.syncline.events.SchemaDiff mergedDiff(List<dev.syncline.connection.schema.SchemaChange> pendingChanges) {
        dev.syncline.events.SchemaDiff d = new dev.syncline.events.SchemaDiff();
        d.setStreamsAdded(new ArrayList<>());
        d.setStreamsRemoved(new ArrayList<>());
        d.setFieldChanges(new ArrayList<>());
        for (var p : pendingChanges) {
            var m = readJson(p.diff);
            m.path("streamsAdded").forEach(n -> d.getStreamsAdded().add(streamRef(n)));
            m.path("streamsRemoved").forEach(n -> d.getStreamsRemoved().add(streamRef(n)));
            m.path("fieldChanges").forEach(n -> {
                dev.syncline.events.FieldChange fc = new dev.syncline.events.FieldChange();
                fc.setNamespace(n.hasNonNull("namespace") ? n.get("namespace").asText() : null);
                fc.setStream(n.path("stream").asText());
                List<String> path = new ArrayList<>();
                n.path("field").forEach(x -> path.add(x.asText()));
                fc.setField(path);
                fc.setChange(n.path("change").asText());
                fc.setFromType(n.hasNonNull("fromType") ? n.get("fromType").asText() : null);
                fc.setToType(n.hasNonNull("toType") ? n.get("toType").asText() : null);
                d.getFieldChanges().add(fc);
            });
        }
        return d;
    }

    private static dev.syncline.events.StreamRef streamRef(com.fasterxml.jackson.databind.JsonNode n) {
        dev.syncline.events.StreamRef r = new dev.syncline.events.StreamRef();
        r.setNamespace(n.hasNonNull("namespace") ? n.get("namespace").asText() : null);
        r.setName(n.path("name").asText());
        return r;
    }

    static java.util.Map<String, Object> diffMap(dev.syncline.events.SchemaDiff d) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("streamsAdded", d.getStreamsAdded().stream().map(r -> refMap(r.getNamespace(), r.getName())).toList());
        m.put("streamsRemoved", d.getStreamsRemoved().stream().map(r -> refMap(r.getNamespace(), r.getName())).toList());
        m.put("fieldChanges", d.getFieldChanges().stream().map(f -> {
            java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("namespace", f.getNamespace());
            c.put("stream", f.getStream());
            c.put("field", f.getField());
            c.put("change", f.getChange());
            c.put("fromType", f.getFromType());
            c.put("toType", f.getToType());
            return c;
        }).toList());
        return m;
    }

    private static java.util.Map<String, Object> refMap(String namespace, String name) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("namespace", namespace);
        m.put("name", name);
        return m;
    }

    /** Publishes a state change and notes it in the timeline. */
    Uni<Void> stateChanged(Connection c, dev.syncline.events.ConnectionStateChanged e) {
        String summary = switch (e.getToState()) {
            case "active" -> "Enabled";
            case "inactive" -> "Disabled";
            case "paused" -> "Paused by Syncline: " + e.getReason();
            default -> "Deleted";
        };
        return outbox.publish(Topics.CONNECTIONS, c.id.toString(), e)
                .chain(() -> TimelineEvent.of(c.id, "state_changed", e.getActor(), summary, Connection.write(java.util.Map.of(
                        "from", e.getFromState(), "to", e.getToState(), "reason", String.valueOf(e.getReason())))).persist())
                .replaceWithVoid();
    }

    /** Deleting a connection deprecates it: it stops syncing, its history stays. */
    public Uni<Void> delete(String id) {
        return get(id).chain(c -> {
            var e = c.changeState("deprecated", "user", "deleted");
            return e == null ? Uni.createFrom().voidItem() : stateChanged(c, e)
                    .chain(() -> tables.release(c.id))
                    .chain(() -> {
                        dev.syncline.events.ConnectionDeleted d = new dev.syncline.events.ConnectionDeleted();
                        d.setEventId(UUID.randomUUID().toString());
                        d.setOccurredAt(java.time.Instant.now());
                        d.setConnectionId(c.id.toString());
                        return outbox.publish(Topics.CONNECTIONS, c.id.toString(), d);
                    });
        });
    }

    /** Pauses a connection for a reason (breaking schema change, repeated failures): the system's own move. */
    public Uni<Void> pause(Connection c, String reason) {
        var e = c.changeState("paused", "system", reason);
        return e == null ? Uni.createFrom().voidItem() : stateChanged(c, e);
    }

    /** cancel, clear or refresh: checked here, carried out by sync-service. */
    public Uni<ConnectionDtos.ActionResponse> action(String id, String action, List<ConnectionDtos.StreamRef> streams,
                                                     String mode) {
        return get(id).chain(c -> {
            if ("deprecated".equals(c.status)) {
                throw ProblemException.conflict("connection " + id + " is deleted");
            }
            List<ConnectionDtos.ConfiguredStream> configured = c.streams();
            List<Problem.FieldError> errors = new ArrayList<>();
            List<ConnectionDtos.ConfiguredStream> targets = new ArrayList<>();
            if (streams == null || streams.isEmpty()) {
                targets.addAll(configured);
            } else {
                for (int i = 0; i < streams.size(); i++) {
                    ConnectionDtos.StreamRef ref = streams.get(i);
                    String at = "streams[" + i + "]";
                    configured.stream().filter(s -> s.name().equals(ref.name()) && java.util.Objects.equals(s.namespace(), ref.namespace()))
                            .findFirst().ifPresentOrElse(targets::add, () -> errors.add(new Problem.FieldError(
                                    at, "the connection does not sync a stream "
                                            + dev.syncline.connection.streams.StreamConfigurator.qualified(ref.namespace(), ref.name()))));
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            if ("refresh".equals(action) && "retain".equals(mode)) {
                List<String> fullRefresh = targets.stream()
                        .filter(s -> s.syncMode() == dev.syncline.connectors.spi.SyncMode.FULL_REFRESH).map(ConnectionDtos.ConfiguredStream::name).toList();
                if (!fullRefresh.isEmpty()) {
                    throw ProblemException.invalid("mode", "refresh and retain keeps the records already synced, "
                            + "which only incremental streams have; full refresh streams: " + fullRefresh
                            + " (use mode remove, or refresh only incremental streams)");
                }
            }
            if (!"cancel".equals(action) && targets.isEmpty()) {
                throw ProblemException.conflict("the connection has no streams yet");
            }
            String requestId = UUID.randomUUID().toString();
            org.apache.avro.specific.SpecificRecord event = switch (action) {
                case "cancel" -> ConnectionEvents.cancelRequested(c, requestId);
                case "clear" -> ConnectionEvents.clearRequested(c, requestId, streams == null ? List.of() : targets);
                default -> ConnectionEvents.refreshRequested(c, requestId, streams == null ? List.of() : targets, mode);
            };
            String summary = switch (action) {
                case "cancel" -> "Cancel requested";
                case "clear" -> "Clear requested" + (streams == null ? "" : " for " + targets.stream().map(ConnectionDtos.ConfiguredStream::name).toList());
                default -> "Refresh (" + mode + ") requested" + (streams == null ? "" : " for " + targets.stream().map(ConnectionDtos.ConfiguredStream::name).toList());
            };
            return outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(), event)
                    .chain(() -> TimelineEvent.of(c.id, "action_requested", "user", summary, null).persist())
                    .replaceWith(new ConnectionDtos.ActionResponse(c.id, action, requestId));
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
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (status != null && !status.isBlank()) {
            if (!Connection.TRANSITIONS.containsKey(status)) {
                errors.add(new Problem.FieldError("status", "must be one of active, inactive, paused, deprecated"));
            }
            q.append(" and status = :status");
            params.put("status", status);
        } else {
            q.append(" and status <> 'deprecated'");
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
                        readJson(e.details))).toList());
    }

    com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
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

    public Catalog readCatalog(String text) {
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
