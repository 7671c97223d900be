package dev.syncline.connection.actor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.SecretFields;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.Topics;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.secrets.SecretBox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
        Uni<Actor> saved = actor.<Actor>persist()
                .call(a -> outbox.publish(Topics.ACTORS, a.id.toString(), a.configuredEvent()));
        // a new source's schema is discovered at once, so a connection can configure its streams right away
        return actor.isSource() ? saved.call(a -> requestDiscovery(a.id)) : saved;
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

    public Uni<Actor> get(String kind, String id) {
        UUID uuid = parse(id, kind);
        return Actor.<Actor>findById(uuid).map(a -> {
            if (a == null || !a.kind.equals(kind)) {
                throw ProblemException.notFound(capitalized(kind), id);
            }
            return a;
        });
    }

    public Uni<List<Actor>> list(String kind) {
        return Actor.list("kind = ?1 order by createdAt", kind);
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
