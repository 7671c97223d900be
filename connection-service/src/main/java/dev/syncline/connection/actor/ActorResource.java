package dev.syncline.connection.actor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connection.schema.SourceCatalog;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.kit.auth.Caller;
import dev.syncline.kit.auth.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What /sources and /destinations do alike, for one kind of actor. Each subclass keeps its own resource methods, with
 * their OpenAPI documentation and {@code @PermissionsAllowed}, and calls these.
 *
 * @param <R> the kind's response body
 */
abstract class ActorResource<R> {
    /** A kind's response body, made from an actor as the caller's role may see it. */
    @FunctionalInterface
    interface Body<R> {
        R of(UUID id, String name, String connectorType, ObjectNode configuration, ActorDtos.Check check,
             OffsetDateTime createdAt, OffsetDateTime updatedAt);
    }

    /** A discovered catalog (a source's streams, a destination's objects), or where its discovery is. */
    @FunctionalInterface
    interface Discovered<T> {
        T of(UUID id, String status, String message, Long catalogVersion, Catalog catalog);
    }

    @Inject
    Actors actors;

    @Inject
    SecurityIdentity identity;

    private final String kind;
    private final Body<R> body;

    ActorResource(String kind, Body<R> body) {
        this.kind = kind;
        this.body = body;
    }

    /** The calling API key's role: what it may change, and what of a config it sees. */
    Role role() {
        return Caller.of(identity).role();
    }

    Uni<Response> created(String name, String connectorType, ObjectNode configuration) {
        Actors.mayConfigure(connectorType, role());
        return actors.create(kind, name, connectorType, configuration)
                .map(a -> Response.created(URI.create("/" + kind + "s/" + a.id)).entity(toResponse(a)).build());
    }

    Uni<List<R>> all() {
        return actors.list(kind).map(l -> l.stream().map(this::toResponse).toList());
    }

    Uni<R> one(String id) {
        return actors.get(kind, id).map(this::toResponse);
    }

    Uni<Actor> actor(String id) {
        return actors.get(kind, id);
    }

    /** What schema-service discovered of the actor; pending until it answers. */
    <T> Uni<T> discovered(Actor a, Discovered<T> shape) {
        return SourceCatalog.<SourceCatalog>findById(a.id).map(sc -> shape.of(a.id,
                sc == null ? SourceCatalog.PENDING : sc.status, sc == null ? null : sc.message,
                sc == null ? null : sc.catalogVersion, sc == null || sc.catalog == null ? null : actors.readCatalog(sc.catalog)));
    }

    Uni<R> changed(String id, ActorDtos.UpdateRequest request) {
        return actors.update(kind, id, request, role()).map(this::toResponse);
    }

    Uni<Response> deleted(String id) {
        return actors.delete(kind, id).map(v -> Response.noContent().build());
    }

    Uni<Response> checkRequested(String id) {
        return actors.check(kind, id).map(a -> Response.accepted(toResponse(a)).build());
    }

    R toResponse(Actor a) {
        return body.of(a.id, a.name, a.connectorType, actors.configFor(a, role()),
                new ActorDtos.Check(a.checkStatus, a.checkMessage, a.checkedAt), a.createdAt, a.updatedAt);
    }
}
