package dev.syncline.rejects.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

@Path("/rejected-records")
@Tag(name = "Rejected records")
@Produces(MediaType.APPLICATION_JSON)
public class RejectedRecordResource {
    static final String COLUMNS = "id, connection_id, job_id, attempt, stream_namespace, stream, destination_object, "
            + "insertion_method, record, mapped_payload, reasons, status, rejected_at, record_key, status_changed_at";

    @Inject
    ObjectMapper json;

    @Inject
    Pool db;

    @Inject
    Dismissals dismissals;

    @Schema(name = "RejectionReason")
    public record Reason(@Schema(examples = "email") String field, @Schema(examples = "INVALID_FORMAT") String code,
                         @Schema(examples = "'ada(at)example.com' is not a valid email") String message) { }

    @Schema(name = "RejectedRecord")
    public record Response(@Schema(examples = "17") long id,
                           @Schema(examples = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") UUID connectionId,
                           @Schema(examples = "42") long jobId, @Schema(examples = "1") int attempt,
                           @Schema(examples = "public") String streamNamespace, @Schema(examples = "contacts") String stream,
                           @Schema(examples = "contacts") String destinationObject,
                           @Schema(examples = "upsert") String insertionMethod,
                           @Schema(description = "the record as the source emitted it") JsonNode record,
                           @Schema(description = "the record as mapped for the destination (data activation)") JsonNode mappedPayload,
                           @Schema(description = "the record's key as JSON", examples = "{\"id\":17}") String recordKey,
                           List<Reason> reasons,
                           @Schema(description = "open, retrying, resolved (written by a later sync), superseded (rejected "
                                   + "again in a later sync: see the newer one) or dismissed", examples = "open") String status,
                           OffsetDateTime rejectedAt, OffsetDateTime statusChangedAt) { }

    /** The filters the list, the counts and the export share. */
    public static class Filter {
        @Parameter(description = "the connection", example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f")
        @QueryParam("connectionId") String connectionId;
        @Parameter(description = "the job", example = "42") @QueryParam("jobId") String jobId;
        @Parameter(description = "the stream", example = "contacts") @QueryParam("stream") String stream;
        @Parameter(description = "the destination object", example = "contacts") @QueryParam("destinationObject") String object;
        @Parameter(description = "records with a reason of this code", example = "INVALID_FORMAT") @QueryParam("reasonCode") String reasonCode;
        @Parameter(description = "records with a reason about this field", example = "email") @QueryParam("field") String field;
        @Parameter(description = "open, retrying, resolved, superseded or dismissed", example = "open") @QueryParam("status") String status;
        @Parameter(description = "rejected at or after (ISO 8601)", example = "2026-12-01T00:00:00Z") @QueryParam("from") String from;
        @Parameter(description = "rejected before (ISO 8601)", example = "2026-12-02T00:00:00Z") @QueryParam("to") String to;

        RejectedRecordFilter parse() {
            return RejectedRecordFilter.parse(connectionId, jobId, stream, object, reasonCode, field, status, from, to);
        }
    }

    @Schema(name = "RejectedRecordPage")
    public record Page(List<Response> data,
                       @Schema(description = "pass as cursor to get the next page; null at the end",
                               examples = "MTc2NDU3NjAwMDAwMDAwMDoxNw") String next) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Operation(summary = "List rejected records", description = "Filtered by connection, job, stream, destination object, "
            + "reason code, field, status and time range; cursor paging, oldest first or newest first (sort=-rejectedAt).")
    @APIResponse(responseCode = "200", description = "a page of rejected records",
            content = @Content(schema = @Schema(implementation = Page.class)))
    @APIResponse(responseCode = "400", description = "a filter is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Page> list(@BeanParam Filter params,
            @Parameter(description = "rejectedAt (oldest first, the default) or -rejectedAt", example = "-rejectedAt") @QueryParam("sort") String sort,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "at most this many (1-1000)", example = "100") @QueryParam("limit") String limitText,
            @Parameter(description = "the next cursor of the previous page") @QueryParam("cursor") String cursor) {
        Integer limit = dev.syncline.kit.problem.Params.integer("limit", limitText);
        RejectedRecordFilter filter = params.parse();
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        boolean newestFirst;
        if (sort == null || sort.isBlank() || sort.equals("rejectedAt")) {
            newestFirst = false;
        } else if (sort.equals("-rejectedAt")) {
            newestFirst = true;
        } else {
            throw ProblemException.invalid("sort", "'" + sort + "' is not rejectedAt or -rejectedAt");
        }
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from rejected_record where " + filter.where(values));
        if (cursor != null && !cursor.isBlank()) {
            Object[] at = decodeCursor(cursor);
            values.add(at[0]);
            values.add(at[1]);
            sql.append(" and (rejected_at, id) ").append(newestFirst ? "<" : ">").append(" ($").append(values.size() - 1)
                    .append(", $").append(values.size()).append(')');
        }
        String dir = newestFirst ? " desc" : "";
        sql.append(" order by rejected_at").append(dir).append(", id").append(dir).append(" limit ").append(max + 1);
        return db.preparedQuery(sql.toString()).execute(Tuple.from(values)).map(rows -> {
            List<Response> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(toResponse(r));
            }
            String next = null;
            if (out.size() > max) {
                out = out.subList(0, max);
                Response last = out.getLast();
                next = encodeCursor(last.rejectedAt(), last.id());
            }
            return new Page(List.copyOf(out), next);
        });
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/{id}")
    @Operation(summary = "Get a rejected record")
    @APIResponse(responseCode = "200", description = "the record and why it was refused",
            content = @Content(schema = @Schema(implementation = Response.class)))
    @APIResponse(responseCode = "404", description = "no such record",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> get(@Parameter(example = "17") @PathParam("id") String id) {
        long key = id(id);
        return db.preparedQuery("select " + COLUMNS + " from rejected_record where id = $1").execute(Tuple.of(key)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw ProblemException.notFound("Rejected record", id);
            }
            return toResponse(rows.iterator().next());
        });
    }

    @Schema(name = "RejectedRecordCount", description = "a count and what it is of (the other fields are absent)")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Count(@Schema(examples = "contacts") String stream, @Schema(examples = "42") Long jobId,
                        @Schema(examples = "INVALID_FORMAT") String code, @Schema(examples = "email") String field,
                        @Schema(examples = "open") String status, @Schema(examples = "60") long count) { }

    @Schema(name = "RejectedRecordCounts")
    public record Counts(@Schema(examples = "300") long total,
                         @Schema(description = "records per status") List<Count> byStatus,
                         @Schema(description = "records per stream") List<Count> byStream,
                         @Schema(description = "records per job, newest job first") List<Count> byJob,
                         @Schema(description = "reasons per code and field (a record with two reasons counts in both)")
                         List<Count> byReason) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/counts")
    @Operation(summary = "Count rejected records", description = "For a connection's page: the matching records per status, "
            + "stream, job and reason; takes the same filters as the list.")
    @APIResponse(responseCode = "200", description = "the counts", content = @Content(schema = @Schema(implementation = Counts.class)))
    @APIResponse(responseCode = "400", description = "a filter is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Counts> counts(@BeanParam Filter params) {
        RejectedRecordFilter filter = params.parse();
        List<Object> values = new ArrayList<>();
        String where = filter.where(values);
        Tuple t = Tuple.from(values);
        Uni<List<Count>> byStatus = counted("select status, count(*) from rejected_record where " + where
                + " group by status order by status", t, r -> new Count(null, null, null, null, r.getString(0), r.getLong(1)));
        Uni<List<Count>> byStream = counted("select coalesce(stream_namespace || '.', '') || stream, count(*) from rejected_record "
                + "where " + where + " group by 1 order by 1", t, r -> new Count(r.getString(0), null, null, null, null, r.getLong(1)));
        Uni<List<Count>> byJob = counted("select job_id, count(*) from rejected_record where " + where
                + " group by job_id order by job_id desc limit 100", t, r -> new Count(null, r.getLong(0), null, null, null, r.getLong(1)));
        Uni<List<Count>> byReason = counted("select x->>'code', nullif(x->>'field', ''), count(*) from rejected_record, "
                + "jsonb_array_elements(reasons::jsonb) x where " + where + " group by 1, 2 order by 3 desc, 1, 2", t,
                r -> new Count(null, null, r.getString(0), r.getString(1), null, r.getLong(2)));
        return Uni.combine().all().unis(byStatus, byStream, byJob, byReason).asTuple().map(x -> new Counts(
                x.getItem1().stream().mapToLong(Count::count).sum(), x.getItem1(), x.getItem2(), x.getItem3(), x.getItem4()));
    }

    private Uni<List<Count>> counted(String sql, Tuple params, java.util.function.Function<Row, Count> f) {
        return db.preparedQuery(sql).execute(params).map(rows -> {
            List<Count> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(f.apply(r));
            }
            return out;
        });
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("/export")
    @Produces("text/csv")
    @Operation(summary = "Export rejected records as CSV or JSON lines", description = "Streamed page by page (never every row "
            + "in memory): the source record's fields, then rejected_reason, rejected_field and rejected_message (several "
            + "reasons joined by '; '), like Airbyte's rejected-record files. Takes the same filters as the list.")
    @APIResponse(responseCode = "200", description = "the records", content = {
            @Content(mediaType = "text/csv", examples = @ExampleObject(name = "csv", value = "id,email,rejected_reason,"
                    + "rejected_field,rejected_message\n17,ada(at)example.com,INVALID_FORMAT,email,'ada(at)example.com' is not a valid email\n")),
            @Content(mediaType = "application/x-ndjson", examples = @ExampleObject(name = "jsonl", value = "{\"id\":17,"
                    + "\"email\":\"ada(at)example.com\",\"rejected_reason\":\"INVALID_FORMAT\",\"rejected_field\":\"email\","
                    + "\"rejected_message\":\"'ada(at)example.com' is not a valid email\"}\n"))})
    @APIResponse(responseCode = "400", description = "a filter or the format is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestMulti<String> export(
            @Parameter(description = "csv or jsonl", example = "csv") @QueryParam("format") String format,
            @BeanParam Filter params) {
        String f = format == null || format.isBlank() ? "csv" : format;
        if (!f.equals("csv") && !f.equals("jsonl")) {
            throw ProblemException.invalid("format", "'" + format + "' is not csv or jsonl");
        }
        RejectedRecordFilter filter = params.parse();
        Multi<String> body = new RejectedRecordExport(db, json, filter, f.equals("csv")).stream();
        return RestMulti.fromMultiData(body).encodeAsJsonArray(false)
                .header("Content-Type", f.equals("csv") ? "text/csv; charset=UTF-8" : "application/x-ndjson")
                .header("Content-Disposition", "attachment; filename=\"rejected-records." + f + "\"").build();
    }

    @Schema(name = "DismissFilter")
    public record DismissRequest(
            @Schema(required = true, examples = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") String connectionId,
            @Schema(examples = "42") String jobId, @Schema(examples = "contacts") String stream,
            @Schema(examples = "contacts") String destinationObject, @Schema(examples = "INVALID_FORMAT") String reasonCode,
            @Schema(examples = "email") String field, @Schema(examples = "2026-12-01T00:00:00Z") String from,
            @Schema(examples = "2026-12-02T00:00:00Z") String to) { }

    @Schema(name = "Dismissed")
    public record Dismissed(@Schema(examples = "60") long dismissed) { }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/dismiss")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dismiss every open rejected record matching a filter", description = "They are no longer offered "
            + "to the destination at the next sync. The connection is required.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "one reason", value = "{\"connectionId\": "
            + "\"6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f\", \"reasonCode\": \"INVALID_FORMAT\"}")))
    @APIResponse(responseCode = "200", description = "how many were dismissed",
            content = @Content(schema = @Schema(implementation = Dismissed.class)))
    @APIResponse(responseCode = "400", description = "the filter is malformed or names no connection",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Dismissed> dismissMatching(DismissRequest body) {
        if (body == null) {
            throw ProblemException.invalid("body", "a filter is required, at least {\"connectionId\": ...}");
        }
        if (body.connectionId() == null || body.connectionId().isBlank()) {
            throw ProblemException.invalid("connectionId", "is required: dismissing is per connection");
        }
        RejectedRecordFilter filter = RejectedRecordFilter.parse(body.connectionId(), body.jobId(), body.stream(),
                body.destinationObject(), body.reasonCode(), body.field(), null, body.from(), body.to());
        return dismissals.dismiss(filter, null).map(Dismissed::new);
    }

    @POST
    @PermissionsAllowed(Permissions.CHANGE)
    @Path("/{id}/dismiss")
    @Operation(summary = "Dismiss one rejected record", description = "It is no longer offered to the destination.")
    @APIResponse(responseCode = "200", description = "the record, dismissed",
            content = @Content(schema = @Schema(implementation = Response.class)))
    @APIResponse(responseCode = "404", description = "no such record",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "the record is resolved or superseded already",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> dismissOne(@Parameter(example = "17") @PathParam("id") String id) {
        long key = id(id);
        return get(id).chain(r -> {
            if (r.status().equals("dismissed")) {
                return Uni.createFrom().item(r);
            }
            if (!r.status().equals("open") && !r.status().equals("retrying")) {
                throw ProblemException.conflict("rejected record " + id + " is " + r.status() + ": only open records are dismissed");
            }
            return dismissals.dismiss(RejectedRecordFilter.parse(r.connectionId().toString(), null, null, null, null, null,
                    null, null, null), key).chain(n -> get(id));
        });
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Rejected record", id);
        }
    }

    static String encodeCursor(OffsetDateTime at, long id) {
        long micros = at.toInstant().getEpochSecond() * 1_000_000 + at.toInstant().getNano() / 1000;
        return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Object[] decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            long micros = Long.parseLong(parts[0]);
            OffsetDateTime at = java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000)
                    .atOffset(java.time.ZoneOffset.UTC);
            return new Object[] {at, Long.parseLong(parts[1])};
        } catch (RuntimeException e) {
            throw ProblemException.invalid("cursor", "not a cursor this API returned");
        }
    }

    Response toResponse(Row r) {
        try {
            List<Reason> reasons = new ArrayList<>();
            for (Map<String, String> m : json.readValue(r.getString("reasons"), new TypeReference<List<Map<String, String>>>() { })) {
                String field = m.get("field");
                reasons.add(new Reason(field == null || field.isEmpty() ? null : field, m.get("code"), m.get("message")));
            }
            String mapped = r.getString("mapped_payload");
            return new Response(r.getLong("id"), r.getUUID("connection_id"), r.getLong("job_id"), r.getInteger("attempt"),
                    r.getString("stream_namespace"), r.getString("stream"), r.getString("destination_object"),
                    r.getString("insertion_method"), json.readTree(r.getString("record")),
                    mapped == null ? null : json.readTree(mapped), r.getString("record_key"), reasons, r.getString("status"),
                    r.getOffsetDateTime("rejected_at"), r.getOffsetDateTime("status_changed_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rejected record " + r.getLong("id") + " unreadable", e);
        }
    }

    /** Reasons of a stored record, for the export. */
    static Map<String, String> reasonColumns(ObjectMapper json, String reasons) throws JsonProcessingException {
        List<String> codes = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (Map<String, String> m : json.readValue(reasons, new TypeReference<List<Map<String, String>>>() { })) {
            codes.add(m.get("code"));
            fields.add(m.getOrDefault("field", ""));
            messages.add(m.get("message"));
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("rejected_reason", String.join("; ", codes));
        out.put("rejected_field", String.join("; ", fields));
        out.put("rejected_message", String.join("; ", messages));
        return out;
    }
}
