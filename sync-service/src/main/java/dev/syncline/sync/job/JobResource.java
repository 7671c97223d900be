package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/jobs")
@Tag(name = "Jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    @Inject
    ObjectMapper json;

    @Schema(name = "JobFailure")
    public record Failure(@Schema(examples = "password authentication failed for user app") String message,
                          @Schema(examples = "destination") String origin,
                          @Schema(examples = "config_error") String type) { }

    @Schema(name = "Job")
    public record JobResponse(@Schema(examples = "42") long jobId, UUID connectionId,
                              @Schema(examples = "sync") String jobType,
                              @Schema(examples = "succeeded") String status, String requestId, int attempts,
                              OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime endedAt,
                              Long durationMillis, long recordsRead, long recordsWritten, long recordsRejected,
                              long bytesRead, List<SyncStats.Stream> streams, Failure failure) { }

    @GET
    @WithSession
    @Operation(summary = "List jobs", description = "Newest first; filter by connection.")
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<JobResponse>> list(
            @Parameter(description = "only this connection's jobs", example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f")
            @QueryParam("connectionId") String connectionId,
            @Parameter(description = "at most this many (1-500)", example = "20") @QueryParam("limit") Integer limit) {
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > 500) {
            throw ProblemException.invalid("limit", "must be between 1 and 500");
        }
        Uni<List<Job>> jobs;
        if (connectionId == null || connectionId.isBlank()) {
            jobs = Job.<Job>find("order by id desc").page(0, max).list();
        } else {
            UUID id;
            try {
                id = UUID.fromString(connectionId);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("connectionId", "'" + connectionId + "' is not a UUID");
            }
            jobs = Job.<Job>find("connectionId = ?1 order by id desc", id).page(0, max).list();
        }
        return jobs.map(l -> l.stream().map(this::toResponse).toList());
    }

    @GET
    @Path("/{jobId}")
    @WithSession
    @Operation(summary = "Get a job", description = "Its status, counts per stream and, when it failed, why.")
    @APIResponse(responseCode = "200", description = "the job",
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobResponse> get(@PathParam("jobId") String jobId) {
        long id;
        try {
            id = Long.parseLong(jobId);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Job", jobId);
        }
        return Job.<Job>findById(id).map(j -> {
            if (j == null) {
                throw ProblemException.notFound("Job", jobId);
            }
            return toResponse(j);
        });
    }

    JobResponse toResponse(Job j) {
        List<SyncStats.Stream> streams;
        try {
            streams = j.streamStats == null ? List.of() : json.readValue(j.streamStats, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            streams = List.of();
        }
        Long duration = j.startedAt == null ? null
                : Duration.between(j.startedAt, j.endedAt != null ? j.endedAt : OffsetDateTime.now()).toMillis();
        Failure failure = j.failureMessage == null ? null : new Failure(j.failureMessage, j.failureOrigin, j.failureType);
        return new JobResponse(j.id, j.connectionId, j.jobType, j.status, j.requestId, j.attempt, j.createdAt,
                j.startedAt, j.endedAt, duration, j.recordsRead, j.recordsWritten, j.recordsRejected, j.bytesRead,
                streams, failure);
    }
}
