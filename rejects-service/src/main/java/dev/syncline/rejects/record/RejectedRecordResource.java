package dev.syncline.rejects.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/rejected-records")
@Tag(name = "Rejected records")
@Produces(MediaType.APPLICATION_JSON)
public class RejectedRecordResource {
    @Inject
    ObjectMapper json;

    @Schema(name = "RejectionReason")
    public record Reason(@Schema(examples = "age") String field, @Schema(examples = "TYPE_MISMATCH") String code,
                         @Schema(examples = "age: 'forty-two' is not a valid integer") String message) { }

    @Schema(name = "RejectedRecord")
    public record Response(@Schema(examples = "17") long id, UUID connectionId, @Schema(examples = "42") long jobId,
                           int attempt, String streamNamespace, @Schema(examples = "users") String stream,
                           String destinationObject, String insertionMethod,
                           @Schema(description = "the record as the source emitted it") JsonNode record,
                           List<Reason> reasons, @Schema(examples = "open") String status, OffsetDateTime rejectedAt) { }

    @GET
    @WithSession
    @Operation(summary = "List rejected records", description = "Oldest first; filter by connection, job and stream.")
    @APIResponse(responseCode = "400", description = "a filter is malformed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<Response>> list(
            @Parameter(description = "the connection", example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f") @QueryParam("connectionId") String connectionId,
            @Parameter(description = "the job", example = "42") @QueryParam("jobId") String jobId,
            @Parameter(description = "the stream", example = "users") @QueryParam("stream") String stream,
            @Parameter(description = "at most this many (1-1000)", example = "100") @QueryParam("limit") Integer limit,
            @Parameter(description = "only records with an id above this one (paging)", example = "0") @QueryParam("after") Long after) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        StringBuilder q = new StringBuilder("id > :after");
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("after", after == null ? 0L : after);
        if (connectionId != null && !connectionId.isBlank()) {
            try {
                params.put("connectionId", UUID.fromString(connectionId));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("connectionId", "'" + connectionId + "' is not a UUID");
            }
            q.append(" and connectionId = :connectionId");
        }
        if (jobId != null && !jobId.isBlank()) {
            try {
                params.put("jobId", Long.parseLong(jobId));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("jobId", "'" + jobId + "' is not a job id");
            }
            q.append(" and jobId = :jobId");
        }
        if (stream != null && !stream.isBlank()) {
            params.put("stream", stream);
            q.append(" and stream = :stream");
        }
        return RejectedRecord.<RejectedRecord>find(q + " order by id", params).page(0, max).list()
                .map(l -> l.stream().map(this::toResponse).toList());
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "Get a rejected record")
    @APIResponse(responseCode = "200", description = "the record and why it was refused",
            content = @Content(schema = @Schema(implementation = Response.class)))
    @APIResponse(responseCode = "404", description = "no such record",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> get(@PathParam("id") String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Rejected record", id);
        }
        return RejectedRecord.<RejectedRecord>findById(key).map(r -> {
            if (r == null) {
                throw ProblemException.notFound("Rejected record", id);
            }
            return toResponse(r);
        });
    }

    Response toResponse(RejectedRecord r) {
        try {
            List<Reason> reasons = new ArrayList<>();
            for (Map<String, String> m : json.readValue(r.reasons, new TypeReference<List<Map<String, String>>>() { })) {
                String field = m.get("field");
                reasons.add(new Reason(field == null || field.isEmpty() ? null : field, m.get("code"), m.get("message")));
            }
            return new Response(r.id, r.connectionId, r.jobId, r.attempt, r.streamNamespace, r.stream,
                    r.destinationObject, r.insertionMethod, json.readTree(r.record), reasons, r.status, r.rejectedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rejected record " + r.id + " unreadable", e);
        }
    }
}
