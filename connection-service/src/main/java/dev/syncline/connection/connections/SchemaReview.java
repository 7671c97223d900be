package dev.syncline.connection.connections;

import dev.syncline.connection.actor.Actor;
import dev.syncline.connection.actor.Actors;
import dev.syncline.connection.schema.SchemaChange;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connection.streams.SchemaChanges;
import dev.syncline.connection.timeline.TimelineEvent;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.events.SchemaDiff;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A source's schema reaching its connections: a first catalog gives waiting connections their streams; a changed one
 * is applied, kept for review or pauses the connection ({@link SchemaChangeReaction}); a user approves what waits.
 */
@ApplicationScoped
public class SchemaReview {
    @jakarta.inject.Inject
    dev.syncline.connection.notify.Alerts alerts;

    @Inject
    ConnectionTableNames names;

    @Inject
    ConnectionLifecycle lifecycle;

    @Inject
    Actors actors;

    @Inject
    Outbox outbox;

    /** A source's catalog arrived: every connection of it still waiting for streams gets them. */
    public Uni<Void> adoptCatalog(UUID sourceId, Catalog catalog) {
        return Connection.<Connection>list("sourceId = ?1 and configuredCatalog is null", sourceId)
                .chain(list -> {
                    List<Uni<Void>> work = new ArrayList<>();
                    for (Connection c : list) {
                        work.add(Actor.<Actor>findById(c.destinationId).chain(d -> {
                            if (!c.adoptDiscoveredCatalog(catalog, actors.syncModes(d))) {
                                return Uni.createFrom().voidItem();
                            }
                            // paused before its streams are published when they would mix data, so no sync starts
                            return names.problems(c, d, c.streams())
                                    .chain(problems -> problems.isEmpty() ? names.claimOrPause(c, d) : names.refuse(c, problems))
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
    public Uni<Void> applySchemaChange(UUID sourceId, Catalog before, Catalog after, SchemaDiff diff, long version) {
        if (SchemaChanges.isEmpty(diff)) {
            return Uni.createFrom().voidItem();
        }
        return Connection.<Connection>list("sourceId = ?1 and status <> ?2 and configuredCatalog is not null", sourceId,
                        ConnectionStatus.DEPRECATED)
                .chain(list -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Connection c : list) {
                        chain = chain.chain(() -> Actor.<Actor>findById(c.destinationId)
                                .chain(d -> applySchemaChange(c, d, before, after, diff, version)));
                    }
                    return chain;
                });
    }

    private Uni<Void> applySchemaChange(Connection c, Actor destination, Catalog before, Catalog after, SchemaDiff diff,
                                        long version) {
        String diffJson = Connection.write(SchemaDiffs.toMap(diff));
        var reaction = SchemaChangeReaction.of(SchemaChanges.breaking(c.streams(), before, after, diff),
                c.schemaChangePolicy, c.status);
        return switch (reaction) {
            case SchemaChangeReaction.Breaking b -> pending(c, version, diffJson, String.join("; ", b.what()))
                    .chain(() -> alerts.breakingSchemaChange(c.id, b.what()))
                    .chain(() -> b.pause() ? lifecycle.pause(c, b.reason())
                            : timeline(c, "Breaking schema change: " + String.join("; ", b.what()), diffJson));
            case SchemaChangeReaction.WaitForReview w -> pending(c, version, diffJson, null)
                    .chain(() -> timeline(c, "Schema changes waiting for review", diffJson));
            case SchemaChangeReaction.StopUntilReviewed r -> pending(c, version, diffJson, null)
                    .chain(() -> timeline(c, "Schema changed: syncs stopped until reviewed", diffJson))
                    .chain(() -> r.pause() ? lifecycle.pause(c, "SCHEMA_CHANGE: the source's schema changed; "
                            + "review it (policy disable)") : Uni.createFrom().voidItem());
            case SchemaChangeReaction.Propagate p -> {
                var streams = p.fully()
                        ? SchemaChanges.propagateFully(c.streams(), after, diff, c.preset(), actors.syncModes(destination))
                        : SchemaChanges.propagateColumns(c.streams(), after, diff);
                // a change that would mix data is not applied: it waits for review, saying why
                yield names.problems(c, destination, streams).chain(problems -> problems.isEmpty()
                        ? propagate(c, streams, diff, diffJson, "Schema changes applied (" + c.schemaChangePolicy.wireName() + ")")
                                .chain(() -> names.claimOrPause(c, destination))
                        : pending(c, version, diffJson, null).chain(() -> timeline(c,
                                "Schema changes not applied, they would mix data: " + String.join("; ", problems)
                                        + ". Mend the streams, then approve", diffJson)));
            }
        };
    }

    private static Uni<Void> timeline(Connection c, String summary, String diffJson) {
        return TimelineEvent.of(c.id, "schema_changed", "system", summary, diffJson).persist().replaceWithVoid();
    }

    /** New streams for the connection after a schema change; a backfill of new columns when the user wants it. */
    private Uni<Void> propagate(Connection c, List<ConnectionDtos.ConfiguredStream> streams, SchemaDiff diff,
                                String diffJson, String summary) {
        c.setStreams(streams);
        Uni<Void> done = outbox.publish(Topics.CONNECTIONS, c.id.toString(), ConnectionEvents.updated(c, List.of("schema")))
                .chain(() -> TimelineEvent.of(c.id, "schema_changed", "system", summary, diffJson).persist())
                .replaceWithVoid();
        var backfill = c.backfillNewColumns ? SchemaChanges.needingBackfill(streams, diff)
                : List.<ConnectionDtos.ConfiguredStream>of();
        if (!backfill.isEmpty()) {
            done = done.chain(() -> outbox.publish(Topics.SYNC_COMMANDS, c.id.toString(),
                    ConnectionEvents.refreshRequested(c, UUID.randomUUID().toString(), backfill,
                            ConnectionAction.RefreshMode.RETAIN)));
        }
        return done;
    }

    /** The change waits for review; the one waiting before is superseded (this one shows the source as it is now). */
    private Uni<Void> pending(Connection c, long version, String diffJson, String breaking) {
        return SchemaChange.update("status = ?1 where connectionId = ?2 and status = ?3",
                        SchemaChange.SUPERSEDED, c.id, SchemaChange.PENDING)
                .chain(() -> SchemaChange.pending(c.id, version, diffJson, breaking).persist())
                .replaceWithVoid();
    }

    private static Uni<List<SchemaChange>> waiting(Connection c) {
        return SchemaChange.list("connectionId = ?1 and status = ?2 order by id", c.id, SchemaChange.PENDING);
    }

    /** The pending schema changes of a connection. */
    public Uni<List<Map<String, Object>>> schemaChanges(String id) {
        return Connection.byId(id).chain(SchemaReview::waiting)
                .map(list -> list.stream().map(sc -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", sc.id);
                    m.put("catalogVersion", sc.catalogVersion);
                    m.put("breaking", sc.breaking);
                    m.put("diff", Connection.tree(sc.diff));
                    m.put("createdAt", sc.createdAt);
                    return m;
                }).toList());
    }

    /** The user approves: the source's current schema is applied fully (new streams, removed streams, columns). */
    /**
     * What approving the pending changes would do to each destination table, applying nothing: the same streams
     * {@link #approve} would make, compared with the connection's. For ELT connections (an activation connection's
     * changes are reviewed on its mapping).
     */
    public Uni<SchemaPreview> preview(String id) {
        return Connection.byId(id).chain(c -> waiting(c).chain(pendingChanges -> {
            if (pendingChanges.isEmpty()) {
                return Uni.createFrom().item(new SchemaPreview(List.of()));
            }
            return SourceCatalog.<SourceCatalog>findById(c.sourceId).chain(sc -> Actor.<Actor>findById(c.destinationId)
                    .map(d -> {
                        if (actors.isActivation(d)) {
                            throw ProblemException.conflict("a data activation connection's schema changes are reviewed "
                                    + "on its mapping: the dry run shows what its next sync would do");
                        }
                        Catalog now = actors.readCatalog(sc.catalog);
                        SchemaDiff merged = SchemaDiffs.merged(pendingChanges.stream().map(p -> Connection.tree(p.diff)).toList());
                        var streams = SchemaChanges.propagateFully(c.streams(), now, merged, c.preset(), actors.syncModes(d));
                        var backfill = c.backfillNewColumns ? SchemaChanges.needingBackfill(streams, merged)
                                : List.<ConnectionDtos.ConfiguredStream>of();
                        return SchemaPreview.of(c.streams(), streams, backfill, s -> names.table(c, d, s));
                    }));
        }));
    }

    public Uni<Connection> approve(String id) {
        return Connection.byId(id).chain(c -> waiting(c).chain(pendingChanges -> {
            if (pendingChanges.isEmpty()) {
                throw ProblemException.conflict("connection " + id + " has no schema change to approve");
            }
            return SourceCatalog.<SourceCatalog>findById(c.sourceId).chain(sc -> Actor.<Actor>findById(c.destinationId)
                    .chain(d -> {
                        Catalog now = actors.readCatalog(sc.catalog);
                        SchemaDiff merged = SchemaDiffs.merged(pendingChanges.stream().map(p -> Connection.tree(p.diff)).toList());
                        // the stored catalog must hold what is approved: while a discovery of the source is
                        // being applied it can lag behind the change shown, and approving would apply nothing
                        if (!SchemaChanges.holds(now, merged)) {
                            throw ProblemException.conflict("the source's schema is being refreshed; approve again "
                                    + "in a moment");
                        }
                        var streams = SchemaChanges.propagateFully(c.streams(), now, merged, c.preset(), actors.syncModes(d));
                        pendingChanges.forEach(SchemaChange::approve);
                        boolean activation = actors.isActivation(d);
                        return propagate(c, streams, merged, Connection.write(SchemaDiffs.toMap(merged)), "Schema changes approved")
                                .invoke(() -> {
                                    if (!activation) {
                                        names.check(c, d, null);
                                    }
                                })
                                .call(() -> activation ? Uni.createFrom().voidItem() : names.claim(c, d, null))
                                .replaceWith(c);
                    }));
        }));
    }
}
