package dev.syncline.sync.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.PermissionsAllowed;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/")
@Tag(name = "Jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private static final String UUID_EXAMPLE = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f";

    @Inject
    ObjectMapper json;

    @Schema(name = "JobFailure")
    public record Failure(@Schema(examples = "password authentication failed for user app") String message,
                          @Schema(examples = "destination", enumeration = {"source", "destination", "platform"}) String origin,
                          @Schema(examples = "config_error", enumeration = {"config_error", "system_error", "transient_error"}) String type,
                          @Schema(examples = "false", description = "whether another attempt may succeed") Boolean retryable,
                          @Schema(examples = "public.users", description = "the stream being read or written, when known") String stream) { }

    @Schema(name = "Attempt")
    public record AttemptResponse(@Schema(examples = "1") int number,
                                  @Schema(examples = "failed", enumeration = {"running", "succeeded", "failed", "cancelled"}) String status,
                                  OffsetDateTime startedAt, OffsetDateTime endedAt,
                                  @Schema(examples = "5000") long recordsRead, @Schema(examples = "5000") long recordsWritten,
                                  @Schema(examples = "0") long recordsRejected, @Schema(examples = "412000") long bytesRead,
                                  List<SyncStats.Stream> streams, Failure failure) { }

    @Schema(name = "Job")
    public record JobResponse(@Schema(examples = "42") long jobId, @Schema(examples = UUID_EXAMPLE) UUID connectionId,
                              @Schema(examples = "sync", enumeration = {"sync", "clear", "refresh"}) String jobType,
                              @Schema(examples = "succeeded", enumeration = {"pending", "running", "incomplete", "succeeded",
                                  "failed", "cancelled"}) String status,
                              @Schema(examples = "user", description = "user, schedule or system") String requestedBy,
                              String requestId,
                              @Schema(description = "a scheduled job: the fire time of the schedule it was made for")
                              OffsetDateTime scheduledFor,
                              @Schema(examples = "1", description = "attempts started") int attemptCount,
                              OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime endedAt,
                              @Schema(description = "when the next attempt is due (status incomplete)") OffsetDateTime nextAttemptAt,
                              @Schema(examples = "1840") Long durationMillis,
                              @Schema(examples = "1000", description = "over all attempts, the running one's so far included (updated at each progress event)") long recordsRead,
                              @Schema(examples = "990") long recordsWritten,
                              @Schema(examples = "10") long recordsRejected, @Schema(examples = "96000") long bytesRead,
                              List<SyncStats.Stream> streams, Failure failure,
                              @Schema(description = "with ?include=attempts, or on GET /jobs/{id}") List<AttemptResponse> attempts) { }

    @Schema(name = "JobLogLine")
    public record LogLine(@Schema(examples = "1") int attempt, OffsetDateTime at, @Schema(examples = "INFO") String level,
                          @Schema(examples = "stream public.users reads on from {\"cursor\":\"2026-11-25T03:00:00Z\"}") String message) { }

    @Schema(name = "StreamStatus")
    public record StreamStatus(@Schema(examples = "public") String namespace, @Schema(examples = "users") String stream,
                               @Schema(examples = "synced", enumeration = {"synced", "syncing", "queued", "error",
                                   "action_required", "pending"}) String status,
                               @Schema(description = "the job that last changed it") Long jobId,
                               OffsetDateTime lastSyncedAt, @Schema(examples = "990") Long recordsWritten,
                               @Schema(description = "why it is in error") String message,
                               @Schema(description = "the stream's stored state (incremental)") String state) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("jobs")
    @WithSession
    @Operation(summary = "List jobs", description = "Newest first; filter by connection.")
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<JobResponse>> list(
            @Parameter(description = "only this connection's jobs", example = UUID_EXAMPLE)
            @QueryParam("connectionId") String connectionId,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "at most this many (1-500)", example = "20") @QueryParam("limit") String limitText,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "skip this many (paging)", example = "0") @QueryParam("offset") String offsetText) {
        Integer limit = dev.syncline.kit.problem.Params.integer("limit", limitText);
        Integer offset = dev.syncline.kit.problem.Params.integer("offset", offsetText);
        int max = limit(limit);
        int skip = offset(offset);
        Uni<List<Job>> jobs = connectionId == null || connectionId.isBlank()
                ? Job.<Job>find("order by id desc").range(skip, skip + max - 1).list()
                : Job.<Job>find("connectionId = ?1 order by id desc", uuid("connectionId", connectionId)).range(skip, skip + max - 1).list();
        return jobs.chain(this::withRunningAttempts);
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("connections/{connectionId}/jobs")
    @WithSession
    @Operation(summary = "A connection's jobs", description = "Its syncs, clears and refreshes, newest first, paged.")
    @APIResponse(responseCode = "404", description = "no connection with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "connectionId is not a UUID or a paging value is out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<JobResponse>> connectionJobs(
            @Parameter(example = UUID_EXAMPLE) @PathParam("connectionId") String connectionId,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "at most this many (1-500)", example = "20") @QueryParam("limit") String limitText,
            @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "skip this many", example = "0") @QueryParam("offset") String offsetText) {
        // a connection this service has never heard of is not found (an empty list would look like one with no jobs)
        return list(connectionId, limitText, offsetText).chain(jobs -> !jobs.isEmpty() ? Uni.createFrom().item(jobs)
                : dev.syncline.sync.connection.ConnectionCopy.findById(uuid("connectionId", connectionId)).map(c -> {
                    if (c == null) {
                        throw ProblemException.notFound("Connection", connectionId);
                    }
                    return jobs;
                }));
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("jobs/{jobId}")
    @WithSession
    @Operation(summary = "Get a job", description = "Its status, counts per stream, its attempts and, when one failed, why.")
    @APIResponse(responseCode = "200", description = "the job",
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobResponse> get(@Parameter(example = "42") @PathParam("jobId") String jobId) {
        long id = jobId(jobId);
        return Job.<Job>findById(id).chain(j -> {
            if (j == null) {
                throw ProblemException.notFound("Job", jobId);
            }
            return Attempt.<Attempt>list("jobId = ?1 order by number", id).map(attempts -> toResponse(j, attempts,
                    attempts.stream().filter(a -> running(j, a)).findFirst().orElse(null)));
        });
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("jobs/{jobId}/logs")
    @WithSession
    @Operation(summary = "A job's log", description = "Structured lines of every attempt, oldest first.")
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<LogLine>> logs(@Parameter(example = "42") @PathParam("jobId") String jobId,
                                   @Parameter(schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER), description = "only this attempt", example = "1") @QueryParam("attempt") String attemptText) {
        Integer attempt = dev.syncline.kit.problem.Params.integer("attempt", attemptText);
        long id = jobId(jobId);
        return Job.<Job>findById(id).chain(j -> {
            if (j == null) {
                throw ProblemException.notFound("Job", jobId);
            }
            Uni<List<JobLog>> lines = attempt == null ? JobLog.<JobLog>list("jobId = ?1 order by id", id)
                    : JobLog.<JobLog>list("jobId = ?1 and attempt = ?2 order by id", id, attempt);
            return lines.map(l -> l.stream().map(x -> new LogLine(x.attempt, x.at, x.level, x.message)).toList());
        });
    }

    @Schema(name = "JobRequest", examples = """
            {"attempt": 1, "at": "2026-12-07T10:00:00Z", "method": "POST", "url": "https://api.example.com/contacts/upsert",
             "requestHeaders": {"Authorization": "[redacted]", "Content-Type": "application/json"},
             "requestBody": "[{\\"id\\": 1, \\"email\\": \\"p1@example.com\\"}]", "status": 207,
             "responseHeaders": {"content-type": "application/json"}, "responseBody": "{\\"results\\": []}", "millis": 12,
             "error": null}""")
    public record RequestLine(int attempt, OffsetDateTime at, String method, String url, Map<String, String> requestHeaders,
                              String requestBody, Integer status, Map<String, String> responseHeaders, String responseBody,
                              long millis, String error) { }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("jobs/{jobId}/requests")
    @WithSession
    @Operation(summary = "A job's requests (the request inspector)", description = "For an API destination (http-api): the "
            + "last 200 requests of each attempt and their answers, oldest first; credentials in headers and query "
            + "redacted, bodies cut at 8 KiB. Empty for other destinations.")
    @APIResponse(responseCode = "200", description = "the requests", content = @Content(schema = @Schema(implementation =
            RequestLine.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "no such job",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<RequestLine>> requests(@Parameter(example = "42") @PathParam("jobId") String jobId) {
        long id = jobId(jobId);
        return Job.<Job>findById(id).chain(j -> {
            if (j == null) {
                throw ProblemException.notFound("Job", jobId);
            }
            return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(s -> s.createNativeQuery(
                            "select attempt, at, exchange from job_request where job_id = ?1 order by id", Object[].class)
                    .setParameter(1, id).getResultList())
                    .map(rows -> rows.stream().map(r -> {
                        try {
                            JsonNode e = json.readTree((String) r[2]);
                            Map<String, String> req = json.convertValue(e.path("requestHeaders"), new TypeReference<>() { });
                            Map<String, String> res = json.convertValue(e.path("responseHeaders"), new TypeReference<>() { });
                            return new RequestLine(((Number) r[0]).intValue(), r[1] instanceof OffsetDateTime o ? o
                                    : OffsetDateTime.parse(String.valueOf(r[1])), e.path("method").asText(), e.path("url").asText(),
                                    req, e.path("requestBody").asText(null), e.path("status").isNull() ? null : e.path("status").asInt(),
                                    res, e.path("responseBody").asText(null), e.path("millis").asLong(), e.path("error").asText(null));
                        } catch (JsonProcessingException ex) {
                            throw new IllegalStateException(ex);
                        }
                    }).toList());
        });
    }

    @GET
    @PermissionsAllowed(Permissions.READ)
    @Path("connections/{connectionId}/streams/status")
    @WithSession
    @Operation(summary = "Status of each stream", description = "synced, syncing, queued, error or action_required "
            + "(the connection is paused), from the connection's latest jobs.")
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<StreamStatus>> streamStatus(@Parameter(example = UUID_EXAMPLE) @PathParam("connectionId") String connectionId) {
        UUID id = uuid("connectionId", connectionId);
        return ConnectionCopy.<ConnectionCopy>findById(id).chain(c -> {
            if (c == null) {
                throw ProblemException.notFound("Connection", connectionId);
            }
            return Job.<Job>find("connectionId = ?1 order by id desc", id).range(0, 49).list()
                    .chain(jobs -> runningAttempt(jobs).chain(attempt -> StreamState.<StreamState>list("connectionId", id).map(states -> {
                        Map<String, String> state = new HashMap<>();
                        states.forEach(s -> state.put(s.stream, s.state));
                        // the streams whose records the running attempt has read so far (its last progress report)
                        java.util.Set<String> flowing = new java.util.HashSet<>();
                        if (attempt != null) {
                            streams(attempt.counts.streamStats).stream().filter(st -> st.recordsRead() > 0)
                                    .forEach(st -> flowing.add(AttemptPlan.qualified(st.namespace(), st.stream())));
                        }
                        List<StreamStatus> out = new ArrayList<>();
                        var catalog = c.configuration().getConfiguredCatalog();
                        if (catalog == null) {
                            return out;
                        }
                        for (var s : catalog.getStreams()) {
                            out.add(status(c, s.getNamespace(), s.getName(), jobs, state, flowing));
                        }
                        return out;
                    })));
        });
    }

    /** Whether job {@code j} reads or writes stream {@code key}: a sync every stream, a clear or refresh its scope. */
    static boolean covers(Job j, String key) {
        if (j.jobType == JobType.SYNC) {
            return true;
        }
        java.util.Set<String> scope = AttemptPlan.scope(j);
        return scope == null || scope.contains(key);
    }

    /** The running job's current attempt (a connection runs one job at a time), or null. */
    private static Uni<Attempt> runningAttempt(List<Job> jobs) {
        for (Job j : jobs) {
            if (j.status == JobStatus.RUNNING) {
                return Attempt.findById(new Attempt.Key(j.id, j.attempt));
            }
        }
        return Uni.createFrom().nullItem();
    }

    private StreamStatus status(ConnectionCopy c, String namespace, String name, List<Job> jobs, Map<String, String> state,
                                java.util.Set<String> flowing) {
        String key = AttemptPlan.qualified(namespace, name);
        Job running = null;
        Job waiting = null;
        Job lastDone = null;
        Job lastSucceeded = null;
        boolean clearedSince = false;
        for (Job j : jobs) {
            // only the jobs that cover this stream say anything about it: a refresh of another stream is not its sync
            if (!covers(j, key)) {
                continue;
            }
            if (j.status == JobStatus.RUNNING && running == null) {
                running = j;
            } else if (j.status.waiting() && waiting == null) {
                waiting = j;
            } else if ((j.status == JobStatus.SUCCEEDED || j.status == JobStatus.FAILED) && lastDone == null) {
                lastDone = j;
            }
            if (j.status == JobStatus.SUCCEEDED && lastSucceeded == null) {
                if (j.jobType == JobType.CLEAR) {
                    clearedSince = true; // emptied after its last sync: not synced until the next one
                }
                lastSucceeded = j;
            }
        }
        if (clearedSince) {
            lastSucceeded = null;
            if (lastDone != null && lastDone.jobType == JobType.CLEAR) {
                lastDone = null;
            }
        }
        Long written = null;
        if (lastSucceeded != null) {
            written = streams(lastSucceeded.counts.streamStats).stream().filter(s -> key.equals(AttemptPlan.qualified(s.namespace(), s.stream())))
                    .mapToLong(SyncStats.Stream::recordsWritten).boxed().findFirst().orElse(null);
        }
        OffsetDateTime lastSynced = lastSucceeded == null ? null : lastSucceeded.endedAt;
        String status;
        Long jobId;
        String message = null;
        if ("paused".equals(c.status)) {
            status = "action_required";
            jobId = lastDone == null ? null : lastDone.id;
            message = c.statusReason;
        } else if (running != null && running.jobType != JobType.CLEAR && flowing.contains(key)) {
            status = "syncing"; // its records flow in the running job
            jobId = running.id;
        } else if (running != null && running.jobType != JobType.CLEAR) {
            status = "queued"; // in the running job, its turn not come yet (another stream is read first)
            jobId = running.id;
            message = "in job " + running.id + ": none of its records read yet";
        } else if (waiting != null) {
            status = "queued";
            jobId = waiting.id;
            message = failureMessage(waiting);
        } else if (lastDone != null && lastDone.status == JobStatus.FAILED) {
            status = "error";
            jobId = lastDone.id;
            message = failureMessage(lastDone);
        } else if (lastSucceeded != null) {
            status = "synced";
            jobId = lastSucceeded.id;
        } else {
            status = "pending";
            jobId = null;
        }
        return new StreamStatus(namespace, name, status, jobId, lastSynced, written, message, state.get(key));
    }

    private static int limit(Integer limit) {
        int max = limit == null ? 50 : limit;
        if (max < 1 || max > 500) {
            throw ProblemException.invalid("limit", "must be between 1 and 500");
        }
        return max;
    }

    private static int offset(Integer offset) {
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            throw ProblemException.invalid("offset", "must not be negative");
        }
        return skip;
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field, "'" + value + "' is not a UUID");
        }
    }

    private static long jobId(String jobId) {
        try {
            return Long.parseLong(jobId);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Job", jobId);
        }
    }

    private List<SyncStats.Stream> streams(String statsJson) {
        try {
            return statsJson == null ? List.of() : json.readValue(statsJson, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /** The jobs as responses, a running job's counts with those of its running attempt so far. */
    private Uni<List<JobResponse>> withRunningAttempts(List<Job> jobs) {
        List<Long> running = jobs.stream().filter(j -> j.status == JobStatus.RUNNING).map(j -> j.id).toList();
        Uni<List<Attempt>> attempts = running.isEmpty() ? Uni.createFrom().item(List.of())
                : Attempt.list("jobId in ?1 and status = ?2", running, AttemptStatus.RUNNING);
        return attempts.map(live -> jobs.stream().map(j -> toResponse(j, null, live.stream().filter(a -> running(j, a))
                .findFirst().orElse(null))).toList());
    }

    private static boolean running(Job j, Attempt a) {
        return j.status == JobStatus.RUNNING && a.running() && a.jobId.equals(j.id) && a.number == j.attempt;
    }

    /**
     * {@code running}: the job's running attempt, whose counts so far (stored at each progress event) add to those of
     * the attempts before it.
     */
    JobResponse toResponse(Job j, List<Attempt> attempts, Attempt running) {
        Long duration = j.startedAt == null ? null
                : Duration.between(j.startedAt, j.endedAt != null ? j.endedAt : OffsetDateTime.now()).toMillis();
        List<AttemptResponse> list = attempts == null ? null : attempts.stream().map(a -> new AttemptResponse(a.number,
                a.status.wireName(), a.startedAt, a.endedAt, a.counts.recordsRead, a.counts.recordsWritten,
                a.counts.recordsRejected, a.counts.bytesRead, streams(a.counts.streamStats), failure(a.failure))).toList();
        Counts live = running == null ? null : running.counts;
        String streams = live == null ? j.counts.streamStats : j.streamStatsMerged(live.streamStats);
        return new JobResponse(j.id, j.connectionId, j.jobType.wireName(), j.status.wireName(), j.requestedBy, j.requestId,
                j.scheduledFor, j.attempt, j.createdAt, j.startedAt, j.endedAt, j.nextAttemptAt, duration, j.counts.readWith(live),
                j.counts.writtenWith(live), j.counts.rejectedWith(live), j.counts.bytesWith(live), streams(streams),
                failure(j.failure), list);
    }

    private static Failure failure(AttemptFailure f) {
        return f == null || f.message() == null ? null : new Failure(f.message(), f.origin() == null ? null : f.origin().wireName(),
                f.type() == null ? null : f.type().wireName(), f.retryable(), f.stream());
    }

    private static String failureMessage(Job j) {
        return j.failure == null ? null : j.failure.message();
    }
}
