package dev.syncline.sync.schedule;

import dev.syncline.events.Schedule;
import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.schedule.SyncSchedule;
import dev.syncline.sync.connection.ConnectionCopy;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** When a saved connection's schedule starts its next syncs, as the scheduler counts them. */
@Path("/connections/{connectionId}/next-runs")
@Tag(name = "Jobs")
@Produces(MediaType.APPLICATION_JSON)
public class NextRunsResource {
    @Schema(name = "ConnectionNextRuns", examples = """
            {"scheduleType": "basic", "countingFrom": "2026-12-07T13:00:00Z",
             "nextRuns": ["2026-12-07T19:00:00Z", "2026-12-08T01:00:00Z", "2026-12-08T07:00:00Z"]}""")
    public record NextRuns(@Schema(examples = "basic", enumeration = {"manual", "basic", "cron"}) String scheduleType,
                           @Schema(description = "the fire time the schedule counts from: the last one a job was made "
                                   + "for (or, for a start time not reached yet, the latest one before the schedule was "
                                   + "saved); null before the first") OffsetDateTime countingFrom,
                           @Schema(description = "the next three start times (UTC); empty for a manual schedule or an "
                                   + "inactive connection") List<Instant> nextRuns) { }

    @Inject
    ScheduleClock clock;

    @Inject
    dev.syncline.kit.schedule.SchedulesConfig schedules;

    @GET
    @PermissionsAllowed(Permissions.READ)
    @WithSession
    @Operation(summary = "A connection's next scheduled syncs", description = "The next three times its schedule starts "
            + "a sync, counted from the last fire time as the scheduler does (a missed one shows as now).")
    @APIResponse(responseCode = "200", description = "the next runs",
            content = @Content(schema = @Schema(implementation = NextRuns.class)))
    @APIResponse(responseCode = "404", description = "no such connection here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<NextRuns> nextRuns(@Parameter(example = "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f")
                                  @PathParam("connectionId") String connectionId) {
        UUID id;
        try {
            id = UUID.fromString(connectionId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("connectionId", "'" + connectionId + "' is not a UUID");
        }
        return ConnectionCopy.<ConnectionCopy>findById(id).map(c -> {
            if (c == null || c.deleted) {
                throw ProblemException.notFound("Connection", connectionId);
            }
            Schedule s = c.configuration().getSchedule();
            SyncSchedule schedule = s == null ? new SyncSchedule("manual", null, null, null, null)
                    : new SyncSchedule(s.getType(), s.getBasicUnits(), s.getBasicTimeUnit(), s.getCronExpression(),
                            s.getCronTimeZone(), s.getBasicStartTime(), s.getBasicTimeZone());
            boolean runs = "active".equals(c.status) && schedule.problems("schedule.", schedules.subMinute()).isEmpty();
            return new NextRuns(schedule.type(), c.lastScheduledFor, runs ? schedule.next(c.lastScheduledFor == null
                    ? null : c.lastScheduledFor.toInstant(), clock.now(), 3) : List.of());
        });
    }
}
