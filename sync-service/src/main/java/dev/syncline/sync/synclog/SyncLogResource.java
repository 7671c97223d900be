package dev.syncline.sync.synclog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.events.EventCodec;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.secrets.SecretBox;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.common.annotation.Blocking;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A data activation connection's sync log: where it is written, how long it is kept, how far behind it is. */
@Path("/connections/{connectionId}/sync-logs")
@Tag(name = "Sync logs")
@Produces(MediaType.APPLICATION_JSON)
public class SyncLogResource {
    /** The destinations a sync log can be written to: PostgreSQL databases. */
    static final Set<String> DATABASES = Set.of("postgres", "postgres-table", "duckdb");
    static final int DEFAULT_RETENTION_DAYS = 30;
    static final int MAX_RETENTION_DAYS = 3650;
    static final List<String> TABLES = List.of("syncline_audit.sync_runs", "syncline_audit.sync_changelog",
            "syncline_audit.sync_snapshot");

    @Schema(name = "SyncLogsRequest", examples = """
            {"destinationId": "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b", "retentionDays": 30}""")
    public record Request(
            @Schema(description = "a postgres, postgres-table or duckdb destination: the database the log is written to",
                    examples = "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b") String destinationId,
            @Schema(description = "days the changelog and runs are kept (1-3650, default 30); the snapshot keeps each "
                    + "record's latest operation", examples = "30") Integer retentionDays) { }

    @Schema(name = "SyncLogs", description = "enabled false: the connection keeps no sync log", examples = """
            {"connectionId": "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f", "enabled": true,
             "destinationId": "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b", "destinationName": "Warehouse", "retentionDays": 30,
             "tables": ["syncline_audit.sync_runs", "syncline_audit.sync_changelog", "syncline_audit.sync_snapshot"],
             "pendingBatches": 0, "pendingOperations": 0, "oldestPendingAt": null, "lagSeconds": 0,
             "writtenAt": "2026-12-07T08:00:12Z", "writtenOperations": 10000, "lastError": null, "lastErrorAt": null,
             "setAsideBatches": 0, "setAsideError": null, "droppedOperations": 0,
             "createdAt": "2026-12-01T09:30:00Z", "updatedAt": "2026-12-06T17:05:41Z"}""")
    public record Status(UUID connectionId, boolean enabled, UUID destinationId, String destinationName,
                         Integer retentionDays, List<String> tables,
                         @Schema(description = "batches stored and not yet written to the log database") long pendingBatches,
                         long pendingOperations, OffsetDateTime oldestPendingAt,
                         @Schema(description = "seconds since the oldest batch waiting was stored: 0 when none waits")
                         long lagSeconds, OffsetDateTime writtenAt, long writtenOperations,
                         @Schema(description = "why the last write failed; cleared by the next that succeeds") String lastError,
                         OffsetDateTime lastErrorAt,
                         @Schema(description = "batches the log database refused for what they hold (not tried again "
                                 + "until the sync log is saved again)") long setAsideBatches,
                         @Schema(description = "why the database refused a batch set aside (a later write that succeeds "
                                 + "clears lastError, not this)") String setAsideError,
                         @Schema(description = "operations dropped because they waited longer than the retention")
                         long droppedOperations,
                         @Schema(description = "when the sync log was turned on (null while it is off)") OffsetDateTime createdAt,
                         @Schema(description = "when its settings were last saved") OffsetDateTime updatedAt) { }

    @Inject
    Pool db;

    @Inject
    SecretBox secrets;

    @Inject
    ObjectMapper json;

    @Inject
    dev.syncline.connectors.ConnectorRegistry connectors;

    @GET
    @Blocking
    @PermissionsAllowed(Permissions.READ)
    @Operation(summary = "A connection's sync log", description = "Where its record operations are written "
            + "(syncline_audit.sync_runs, sync_changelog and sync_snapshot in a database of yours), for how long, and "
            + "how far the writing is behind: batches waiting, since when, and the last error.")
    @APIResponse(responseCode = "200", description = "its sync log, or enabled false",
            content = @Content(schema = @Schema(implementation = Status.class)))
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Status get(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId) {
        UUID id = connection(connectionId);
        return status(id);
    }

    @PUT
    @Blocking
    @PermissionsAllowed(Permissions.CHANGE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Turn on or change a connection's sync log", description = "From its next sync, every record "
            + "operation (written or rejected, with its reason and payload) is written to the destination's database, "
            + "in schema syncline_audit, off the sync's path: a log that cannot be written never fails a sync, it waits "
            + "and is tried again. For data activation connections.")
    @RequestBody(content = @Content(schema = @Schema(implementation = Request.class)))
    @APIResponse(responseCode = "200", description = "saved", content = @Content(schema = @Schema(implementation = Status.class)))
    @APIResponse(responseCode = "400", description = "errors name each field: destinationId missing, unknown, not a "
            + "PostgreSQL database or one of Syncline's own; retentionDays out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not a database", value = """
                            {"type": "https://syncline.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
                             "detail": "destinationId: a sync log is written to a database (a postgres, postgres-table or duckdb destination); this one is http-api",
                             "errors": [{"field": "destinationId", "message": "a sync log is written to a database (a postgres, postgres-table or duckdb destination); this one is http-api"}]}""")))
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "not a data activation connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Status put(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId,
                      Request request) {
        UUID id = connection(connectionId);
        RowSet<Row> c = db.preparedQuery("select configuration from connection where id = $1").execute(Tuple.of(id))
                .await().indefinitely();
        ConnectionConfiguration cfg;
        try {
            cfg = (ConnectionConfiguration) EventCodec.decode(ConnectionConfiguration.class.getName(),
                    c.iterator().next().getBuffer("configuration").getBytes());
        } catch (RuntimeException e) {
            throw ProblemException.conflict("sync-service cannot read this connection's configuration yet; try again shortly");
        }
        if (cfg.getMappings() == null || cfg.getMappings().isEmpty()) {
            throw ProblemException.conflict("a sync log records a data activation's record operations; this connection "
                    + "has no mappings (an ELT connection's rows are in its destination)");
        }
        if (request == null || request.destinationId() == null || request.destinationId().isBlank()) {
            throw ProblemException.invalid("destinationId", "required: the destination whose database gets the log");
        }
        UUID destination;
        try {
            destination = UUID.fromString(request.destinationId().trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("destinationId", "'" + request.destinationId() + "' is not a UUID");
        }
        int retention = request.retentionDays() == null ? DEFAULT_RETENTION_DAYS : request.retentionDays();
        if (retention < 1 || retention > MAX_RETENTION_DAYS) {
            throw ProblemException.invalid("retentionDays", "must be between 1 and " + MAX_RETENTION_DAYS);
        }
        RowSet<Row> a = db.preparedQuery("select kind, connector_type, config from actor_copy where id = $1 and not deleted")
                .execute(Tuple.of(destination)).await().indefinitely();
        if (a.size() == 0 || !"destination".equals(a.iterator().next().getString("kind"))) {
            throw ProblemException.unknownReference("destinationId", "destination", destination.toString());
        }
        Row actor = a.iterator().next();
        if (!DATABASES.contains(actor.getString("connector_type"))) {
            throw ProblemException.invalid("destinationId", "a sync log is written to a database (a postgres, postgres-table "
                    + "or duckdb destination); this one is " + actor.getString("connector_type"));
        }
        refuseOwn(actor.getString("connector_type"), actor.getString("config"));
        db.preparedQuery("insert into sync_log_settings (connection_id, destination_id, retention_days, created_at, updated_at) "
                        + "values ($1, $2, $3, now(), now()) on conflict (connection_id) do update set "
                        + "destination_id = excluded.destination_id, retention_days = excluded.retention_days, updated_at = now()")
                .execute(Tuple.of(id, destination, retention)).await().indefinitely();
        // a new database (or the same, mended): what waits is tried at once, batches set aside included, and a
        // failure before this is no longer news
        db.preparedQuery("update sync_log_status set last_error = null, last_error_at = null, pruned_at = null "
                + "where connection_id = $1").execute(Tuple.of(id)).await().indefinitely();
        db.preparedQuery("update sync_log_batch set next_try_at = now(), tries = 0 where connection_id = $1")
                .execute(Tuple.of(id)).await().indefinitely();
        return status(id);
    }

    @DELETE
    @Blocking
    @PermissionsAllowed(Permissions.CHANGE)
    @Operation(summary = "Turn a connection's sync log off", description = "No record operation is logged from now on; "
            + "batches not yet written are dropped. The tables in your database stay as they are.")
    @APIResponse(responseCode = "204", description = "off")
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @PathParam("connectionId") String connectionId) {
        UUID id = connection(connectionId);
        db.withTransaction(c -> c.preparedQuery("delete from sync_log_settings where connection_id = $1").execute(Tuple.of(id))
                .chain(() -> c.preparedQuery("delete from sync_log_batch where connection_id = $1").execute(Tuple.of(id)))
                .chain(() -> c.preparedQuery("delete from sync_log_status where connection_id = $1").execute(Tuple.of(id))))
                .await().indefinitely();
        return Response.noContent().build();
    }

    /**
     * A destination whose settings the connectors' guard refuses now (its database one of Syncline's own, its file
     * outside the opened folders) is refused here too, with the guard's words; the writer checks again at each connect.
     */
    private void refuseOwn(String connectorType, String storedConfig) {
        java.util.List<dev.syncline.connectors.reach.SettingRefused> refused;
        try {
            ObjectNode config = secrets.decryptAll((ObjectNode) json.readTree(storedConfig));
            refused = connectors.destination(connectorType).map(d -> d.refusals(config)).orElse(List.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return; // unreadable now: the writer says so when it connects
        }
        if (!refused.isEmpty()) {
            throw ProblemException.invalid("destinationId", "its " + refused.getFirst().setting() + " is refused: "
                    + refused.getFirst().message());
        }
    }

    private UUID connection(String connectionId) {
        UUID id;
        try {
            id = UUID.fromString(connectionId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("connectionId", "'" + connectionId + "' is not a UUID");
        }
        RowSet<Row> rows = db.preparedQuery("select 1 from connection where id = $1 and not deleted").execute(Tuple.of(id))
                .await().indefinitely();
        if (rows.size() == 0) {
            throw ProblemException.notFound("Connection", connectionId);
        }
        return id;
    }

    Status status(UUID id) {
        Row r = db.preparedQuery("select s.destination_id, s.retention_days, s.created_at, s.updated_at, a.name, st.written_at, "
                        + "coalesce(st.written_entries, 0) as written_entries, st.last_error, st.last_error_at, "
                        + "coalesce(st.dropped_entries, 0) as dropped_entries, b.pending_batches, b.pending_entries, b.oldest, "
                        + "b.set_aside, b.set_aside_error "
                        + "from (select $1::uuid as id) x left join sync_log_settings s on s.connection_id = x.id "
                        + "left join actor_copy a on a.id = s.destination_id left join sync_log_status st on st.connection_id = x.id "
                        + "cross join (select count(*) filter (where next_try_at <> 'infinity') as pending_batches, "
                        + "coalesce(sum(entries) filter (where next_try_at <> 'infinity'), 0) as pending_entries, "
                        + "min(created_at) filter (where next_try_at <> 'infinity') as oldest, "
                        + "count(*) filter (where next_try_at = 'infinity') as set_aside, "
                        + "max(last_error) filter (where next_try_at = 'infinity') as set_aside_error "
                        + "from sync_log_batch where connection_id = $1) b")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        UUID destination = r.getUUID("destination_id");
        OffsetDateTime oldest = r.getOffsetDateTime("oldest");
        long lag = oldest == null ? 0 : Math.max(0, Duration.between(oldest, OffsetDateTime.now()).toSeconds());
        return new Status(id, destination != null, destination, r.getString("name"), r.getInteger("retention_days"),
                destination == null ? List.of() : TABLES, r.getLong("pending_batches"), r.getLong("pending_entries"), oldest,
                lag, r.getOffsetDateTime("written_at"), r.getLong("written_entries"), r.getString("last_error"),
                r.getOffsetDateTime("last_error_at"), r.getLong("set_aside"), r.getString("set_aside_error"),
                r.getLong("dropped_entries"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
    }
}
