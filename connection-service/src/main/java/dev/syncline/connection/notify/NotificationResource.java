package dev.syncline.connection.notify;

import dev.syncline.connection.connections.Connection;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Alerts: rules saying which events of a connection (or of every connection) go to which webhook, a test notification,
 * and each connection's delivery log (the endpoints under /connections/{id} are ConnectionResource's, which calls these).
 */
@Path("/notification-rules")
@Tag(name = "Notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {
    private static final String UUID_EXAMPLE = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f";
    public static final String REFUSED = """
            {"type": "https://syncline.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
             "errors": [{"field": "url", "message": "127.0.0.1:8081 is an address of Syncline itself (its PostgreSQL, Kafka, \
            schema registry, services or console): a webhook may not go there. An admin can allow a target explicitly with \
            syncline.connectors.allowed-targets=127.0.0.1:8081"}, {"field": "events[1]", "message": "'sync_slow' is not one \
            of sync_failed, sync_recovered, rejected_records, breaking_schema_change, connection_paused"}]}""";

    @Inject
    NotificationRules rules;

    @Inject
    Alerts alerts;

    @GET
        @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "Rules of every connection", description = "Defaults that apply to every connection, beside each "
            + "connection's own.")
    @APIResponse(responseCode = "200", description = "the rules", content = @Content(schema = @Schema(implementation =
            NotificationDtos.Rule.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<List<NotificationDtos.Rule>> defaults() {
        return NotificationRule.<NotificationRule>list("connectionId is null order by createdAt")
                .map(list -> list.stream().map(NotificationDtos.Rule::of).toList());
    }

    @POST
        @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Add a rule for every connection", description = "Applies to every connection, present and future.")
    @APIResponse(responseCode = "201", description = "created", content = @Content(schema = @Schema(implementation = NotificationDtos.Rule.class)))
    @APIResponse(responseCode = "400", description = "errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "refused", value = REFUSED)))
    public Uni<Response> addDefault(@Valid @NotNull NotificationDtos.RuleRequest request) {
        return rules.create(null, request).map(NotificationResource::created);
    }

    @PATCH
    @Path("{ruleId}")
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    @Operation(summary = "Change a notification rule", description = "Only the fields present change; \"secret\": \"\" "
            + "removes the signature.")
    @APIResponse(responseCode = "200", description = "changed", content = @Content(schema = @Schema(implementation = NotificationDtos.Rule.class)))
    @APIResponse(responseCode = "400", description = "errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "refused", value = REFUSED)))
    @APIResponse(responseCode = "404", description = "no such rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<NotificationDtos.Rule> change(@Parameter(example = UUID_EXAMPLE) @PathParam("ruleId") String ruleId,
                                             @Valid @NotNull NotificationDtos.RuleRequest request) {
        return rule(ruleId).chain(r -> rules.update(r, request)).map(NotificationDtos.Rule::of);
    }

    @DELETE
    @Path("{ruleId}")
    @PermissionsAllowed(Permissions.CHANGE)
    @WithTransaction
    @Operation(summary = "Delete a notification rule", description = "Its past deliveries stay in the log. A rule made from "
            + "a connection's notificationWebhook empties that field.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "404", description = "no such rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@Parameter(example = UUID_EXAMPLE) @PathParam("ruleId") String ruleId) {
        return rule(ruleId).chain(rules::delete).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("{ruleId}/test")
    @PermissionsAllowed(Permissions.CHANGE)
    @WithTransaction
    @Operation(summary = "Send a test notification", description = "Queued at once and sent within seconds, signed and "
            + "retried like any other; follow it in GET /connections/{id}/notifications (or the answer's deliveryId).")
    @APIResponse(responseCode = "202", description = "queued", content = @Content(schema = @Schema(implementation = NotificationDtos.Delivery.class)))
    @APIResponse(responseCode = "404", description = "no such rule or connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> test(@Parameter(example = UUID_EXAMPLE) @PathParam("ruleId") String ruleId,
                              @Parameter(description = "a rule of every connection: the connection to name in it", example = UUID_EXAMPLE)
                              @QueryParam("connectionId") String connectionId) {
        return rule(ruleId).chain(r -> {
            String forConnection = r.connectionId != null ? r.connectionId.toString() : connectionId;
            Uni<Connection> c = forConnection == null ? Uni.createFrom().nullItem() : Connection.byId(forConnection);
            return c.chain(conn -> alerts.test(r, conn)).map(d -> Response.accepted(NotificationDtos.Delivery.of(d, r.name)).build());
        });
    }

    /** A connection's rules and those of every connection (served under /connections by ConnectionResource). */
    public Uni<List<NotificationDtos.Rule>> connectionRules(String connectionId) {
        return Connection.byId(connectionId).chain(c -> NotificationRule.<NotificationRule>list(
                "connectionId = ?1 or connectionId is null order by connectionId nulls last, createdAt", c.id)
                .chain(list -> io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(s -> s.createNativeQuery(
                                "select cast(rule_id as text), condition, to_char(changed_at at time zone 'UTC', "
                                        + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from notification_state where connection_id = ?1 "
                                        + "and firing order by changed_at", Object[].class)
                        .setParameter(1, c.id).getResultList())
                        .map(states -> {
                            java.util.Map<String, List<NotificationDtos.Firing>> byRule = new java.util.HashMap<>();
                            for (Object[] st : states) {
                                byRule.computeIfAbsent((String) st[0], k -> new java.util.ArrayList<>())
                                        .add(new NotificationDtos.Firing(Alerts.SYNC.equals(st[1]) ? "sync_failed"
                                                : "rejected_records", (String) st[2]));
                            }
                            return list.stream().map(r -> NotificationDtos.Rule.of(r)
                                    .withFiring(byRule.getOrDefault(r.id.toString(), List.of()))).toList();
                        })));
    }

    /** A new rule of a connection (served under /connections). */
    public Uni<Response> addToConnection(String connectionId, NotificationDtos.RuleRequest request) {
        return Connection.byId(connectionId).invoke(Connection::checkNotDeleted)
                .chain(c -> rules.create(c.id, request)).map(NotificationResource::created);
    }

    /** A connection's delivery log, newest first (served under /connections). */
    public Uni<List<NotificationDtos.Delivery>> deliveries(String connectionId, String limitText) {
        Integer given = dev.syncline.kit.problem.Params.integer("limit", limitText);
        if (given != null && (given < 1 || given > 200)) {
            throw ProblemException.invalid("limit", "must be between 1 and 200");
        }
        int limit = given == null ? 50 : given;
        return Connection.byId(connectionId).chain(c -> NotificationDelivery.<NotificationDelivery>find(
                "connectionId = ?1 order by createdAt desc, id", c.id).range(0, limit - 1).list())
                .chain(list -> NotificationRule.<NotificationRule>list("id in ?1", list.stream().map(d -> d.ruleId).distinct().toList())
                        .map(rs -> {
                            Map<UUID, String> names = rs.stream().collect(Collectors.toMap(r -> r.id, r -> r.name));
                            return list.stream().map(d -> NotificationDtos.Delivery.of(d, names.getOrDefault(d.ruleId,
                                    "(deleted rule)"))).toList();
                        }));
    }

    private static Uni<NotificationRule> rule(String ruleId) {
        UUID id;
        try {
            id = UUID.fromString(ruleId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Notification rule", ruleId);
        }
        return NotificationRule.<NotificationRule>findById(id).map(r -> {
            if (r == null) {
                throw ProblemException.notFound("Notification rule", ruleId);
            }
            return r;
        });
    }

    private static Response created(NotificationRule r) {
        return Response.created(URI.create("/notification-rules/" + r.id)).entity(NotificationDtos.Rule.of(r)).build();
    }
}
