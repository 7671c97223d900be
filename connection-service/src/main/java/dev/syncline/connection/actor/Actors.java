package dev.syncline.connection.actor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.SecretFields;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.secrets.SecretBox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Creating and reading sources and destinations; every change is published as an event. */
@ApplicationScoped
public class Actors {
    @Inject
    ConnectorRegistry connectors;

    @Inject
    SecretBox secrets;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    /** What a saved config may not reach (the OpenAPI document says it at create and change). */
    static final String REACH_RULE = "A configuration that reaches Syncline's own databases, Kafka, registry, services or "
            + "console, or a file outside the folders an admin opened (syncline.connectors.files.roots), is refused with 400 "
            + "naming the setting, e.g. configuration.database; an admin allows a target with syncline.connectors.allowed-targets.";

    /** Connectors that run a program of the config's choosing on the server: only an admin sets them up or changes them. */
    static final java.util.Set<String> RUN_COMMANDS = java.util.Set.of("airbyte-process");

    /** Refuses (403) a non-admin's change to a connector that runs a command on the server. */
    static void mayConfigure(String connectorType, dev.syncline.kit.auth.Role role) {
        if (connectorType != null && RUN_COMMANDS.contains(connectorType) && role != dev.syncline.kit.auth.Role.ADMIN) {
            throw new ProblemException(403, "forbidden", "Forbidden", "a " + connectorType + " source runs a command on the "
                    + "Syncline server: only an admin key may set one up or change it", List.of());
        }
    }

    /** Validates the config against the connector's spec, stores it with secrets encrypted, publishes it. */
    public Uni<Actor> create(String kind, String name, String connectorType, ObjectNode configuration) {
        String typeField = Actor.SOURCE.equals(kind) ? "sourceType" : "destinationType";
        Optional<ConnectorDefinition> def = Actor.SOURCE.equals(kind)
                ? connectors.source(connectorType).map(c -> c.definition())
                : connectors.destination(connectorType).map(c -> c.definition());
        if (def.isEmpty()) {
            List<String> known = (Actor.SOURCE.equals(kind) ? connectors.sourceDefinitions() : connectors.destinationDefinitions())
                    .stream().map(ConnectorDefinition::id).toList();
            throw ProblemException.invalid(typeField, "unknown " + kind + " type '" + connectorType + "'; one of " + known);
        }
        var violations = ConfigValidator.violations(def.get(), configuration);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        ObjectNode stored = secrets.encryptAt(configuration, SecretFields.pointers(def.get().spec()));
        Actor actor = Actor.create(kind, name.trim(), connectorType, stored);
        Uni<Actor> saved = refuseUnreachable(kind, connectorType, configuration).chain(actor::<Actor>persist)
                .call(a -> outbox.publish(Topics.ACTORS, a.id.toString(), a.configuredEvent()))
                .call(a -> outbox.publish(Topics.SCHEMA_REQUESTS, a.id.toString(), a.requestCheck()));
        // a new source's schema is discovered at once, so a connection can configure its streams right away
        boolean activation = def.get().kind() == dev.syncline.connectors.spi.ConnectorKind.DESTINATION_ACTIVATION;
        // a destination with a strict schema is discovered too: its objects and their fields
        return actor.isSource() || activation ? saved.call(a -> requestDiscovery(a.id)) : saved;
    }

    /** Marks the source's catalog pending and asks schema-service to discover it. */
    public Uni<Void> requestDiscovery(UUID sourceId) {
        return SourceCatalog.<SourceCatalog>findById(sourceId).chain(sc -> {
            Uni<?> mark;
            if (sc == null) {
                mark = SourceCatalog.pending(sourceId).persist();
            } else {
                sc.status = SourceCatalog.PENDING;
                sc.message = null;
                sc.updatedAt = java.time.OffsetDateTime.now();
                mark = Uni.createFrom().item(sc);
            }
            SchemaDiscoveryRequested e = new SchemaDiscoveryRequested();
            e.setEventId(UUID.randomUUID().toString());
            e.setOccurredAt(java.time.Instant.now());
            e.setActorId(sourceId.toString());
            e.setRequestId(UUID.randomUUID().toString());
            return mark.chain(() -> outbox.publish(Topics.SCHEMA_REQUESTS, sourceId.toString(), e));
        });
    }

    /** New name and/or config; a secret sent back masked keeps its stored value. The actor is checked again. */
    public Uni<Actor> update(String kind, String id, ActorDtos.UpdateRequest r, dev.syncline.kit.auth.Role role) {
        return get(kind, id).chain(a -> {
            mayConfigure(a.connectorType, role);
            ObjectNode stored = readConfig(a);
            ObjectNode encrypted = null;
            Uni<Void> reachable = Uni.createFrom().voidItem();
            if (r.configuration() != null) {
                ConnectorDefinition def = definition(a).orElseThrow(() -> ProblemException.invalid("configuration",
                        "the connector " + a.connectorType + " is no longer available"));
                List<String> secretPointers = SecretFields.pointers(def.spec());
                ObjectNode incoming = r.configuration().deepCopy();
                for (String p : secretPointers) {
                    var v = incoming.at(p);
                    if (v.isTextual() && SecretBox.MASK.equals(v.asText()) && !stored.at(p).isMissingNode()) {
                        setAt(incoming, p, stored.at(p));
                    }
                }
                var violations = ConfigValidator.violations(def, incoming);
                if (!violations.isEmpty()) {
                    throw ProblemException.invalid(violations);
                }
                encrypted = secrets.encryptAt(incoming, secretPointers);
                reachable = refuseUnreachable(kind, a.connectorType, incoming);
            }
            ObjectNode changed = encrypted;
            return reachable.chain(() -> {
                a.change(r.name() == null ? null : r.name().trim(), changed);
                Uni<Void> after = outbox.publish(Topics.ACTORS, a.id.toString(), a.configuredEvent())
                        .chain(() -> outbox.publish(Topics.SCHEMA_REQUESTS, a.id.toString(), a.requestCheck()));
                if (a.isSource() && changed != null) {
                    after = after.chain(() -> requestDiscovery(a.id));
                }
                return after.replaceWith(a);
            });
        });
    }

    /**
     * Refuses (400, each setting named) a config that points where connectors may not go: Syncline's own databases and
     * addresses, files outside the folders an admin opened. On a worker thread, as a host name may need DNS; the
     * connectors check again whenever they connect.
     */
    private Uni<Void> refuseUnreachable(String kind, String connectorType, ObjectNode config) {
        Supplier<List<SettingRefused>> refusals = Actor.SOURCE.equals(kind)
                ? () -> connectors.source(connectorType).map(c -> c.refusals(config)).orElse(List.of())
                : () -> connectors.destination(connectorType).map(c -> c.refusals(config)).orElse(List.of());
        return vertx.executeBlocking(Uni.createFrom().item(refusals)).invoke(refused -> {
            if (!refused.isEmpty()) {
                throw ProblemException.invalid(refused.stream()
                        .map(r -> new Problem.FieldError("configuration." + r.setting(), r.message())).toList());
            }
        }).replaceWithVoid();
    }

    /** Deletes an actor no live connection uses; publishes ActorDeleted. */
    public Uni<Void> delete(String kind, String id) {
        return get(kind, id).chain(a -> dev.syncline.connection.connections.Connection
                .<dev.syncline.connection.connections.Connection>list((a.isSource() ? "sourceId" : "destinationId")
                        + " = ?1 and status <> ?2", a.id, dev.syncline.connection.connections.ConnectionStatus.DEPRECATED)
                .chain(users -> {
                    if (!users.isEmpty()) {
                        throw ProblemException.conflict("this " + kind + " is used by connection(s) "
                                + users.stream().map(c -> c.id + " (" + c.name + ")").toList() + ": delete them first");
                    }
                    dev.syncline.events.ActorDeleted e = new dev.syncline.events.ActorDeleted();
                    e.setEventId(UUID.randomUUID().toString());
                    e.setOccurredAt(java.time.Instant.now());
                    e.setActorId(a.id.toString());
                    e.setActorKind(a.kind);
                    return SourceCatalog.delete("sourceId", a.id)
                            .chain(() -> dev.syncline.connection.connections.Connection.delete("sourceId = ?1 or destinationId = ?1", a.id))
                            .chain(() -> a.delete())
                            .chain(() -> outbox.publish(Topics.ACTORS, a.id.toString(), e));
                }));
    }

    /** Asks for a new check of the actor. */
    public Uni<Actor> check(String kind, String id) {
        return get(kind, id).call(a -> outbox.publish(Topics.SCHEMA_REQUESTS, a.id.toString(), a.requestCheck()));
    }

    private Optional<ConnectorDefinition> definition(Actor a) {
        return a.isSource() ? connectors.source(a.connectorType).map(c -> c.definition())
                : connectors.destination(a.connectorType).map(c -> c.definition());
    }

    private ObjectNode readConfig(Actor a) {
        try {
            return (ObjectNode) json.readTree(a.config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored config of " + a.id + " is not JSON", e);
        }
    }

    private static void setAt(ObjectNode root, String pointer, com.fasterxml.jackson.databind.JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        var parent = slash <= 0 ? root : root.at(pointer.substring(0, slash));
        if (parent instanceof ObjectNode o) {
            o.set(pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~"), value);
        }
    }

    public Uni<Actor> get(String kind, String id) {
        UUID uuid = parse(id, kind);
        return Actor.<Actor>findById(uuid).map(a -> {
            if (a == null || !a.kind.equals(kind)) {
                throw ProblemException.notFound(capitalized(kind), id);
            }
            return a;
        });
    }

    /** A destination whose connector writes to strict objects through mappings. */
    public boolean isActivation(Actor a) {
        return !a.isSource() && connectors.destination(a.connectorType).map(c -> c.definition().kind()
                == dev.syncline.connectors.spi.ConnectorKind.DESTINATION_ACTIVATION).orElse(false);
    }

    /** The sync modes a destination's connector writes; append only when its connector is unknown. */
    public java.util.Set<dev.syncline.connectors.spi.DestinationSyncMode> syncModes(Actor destination) {
        return connectors.destination(destination.connectorType)
                .map(dev.syncline.connectors.spi.DestinationConnector::supportedSyncModes)
                .orElse(java.util.Set.of(dev.syncline.connectors.spi.DestinationSyncMode.APPEND));
    }

    public Uni<List<Actor>> list(String kind) {
        return Actor.list("kind = ?1 order by createdAt", kind);
    }

    /** The config as an API returns it to {@code role}: secret values masked, or left out for a viewer. */
    public ObjectNode configFor(Actor a, dev.syncline.kit.auth.Role role) {
        ObjectNode masked = maskedConfig(a);
        if (role.seesSecretFields()) {
            return masked;
        }
        // a viewer does not even learn which settings are secret: every masked value goes
        removeMasked(masked);
        return masked;
    }

    private static void removeMasked(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().removeIf(e -> e.getValue().isTextual() && SecretBox.MASK.equals(e.getValue().asText()));
            o.properties().forEach(e -> removeMasked(e.getValue()));
        } else if (node != null && node.isArray()) {
            node.forEach(Actors::removeMasked);
        }
    }

    /** The config as an API returns it: secret values masked. */
    public ObjectNode maskedConfig(Actor a) {
        try {
            ObjectNode stored = (ObjectNode) json.readTree(a.config);
            Optional<ConnectorDefinition> def = a.isSource()
                    ? connectors.source(a.connectorType).map(c -> c.definition())
                    : connectors.destination(a.connectorType).map(c -> c.definition());
            ObjectNode masked = SecretBox.maskAt(stored, def.map(d -> SecretFields.pointers(d.spec())).orElse(List.of()));
            // belt and braces: nothing encrypted ever leaves, even if a spec changed
            masked.properties().forEach(e -> {
                if (e.getValue().isTextual() && SecretBox.isEncrypted(e.getValue().asText())) {
                    masked.put(e.getKey(), SecretBox.MASK);
                }
            });
            return masked;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored config of " + a.id + " is not JSON", e);
        }
    }

    public dev.syncline.connectors.spi.Catalog readCatalog(String text) {
        try {
            return json.readValue(text, dev.syncline.connectors.spi.Catalog.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored catalog unreadable", e);
        }
    }

    static UUID parse(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(capitalized(what), id);
        }
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
