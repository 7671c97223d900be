package dev.syncline.connection.connections;

import dev.syncline.kit.auth.Permissions;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.schedule.SchedulesConfig;
import dev.syncline.kit.schedule.SyncSchedule;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * When a schedule would run, before it is saved: the next three start times under the rules connection-service
 * accepts a schedule by and sync-service runs it by ({@link SyncSchedule}), so that a user sees what "0 0 6 ? * MON-FRI"
 * or "every 6 hours" means before relying on it.
 */
@Path("/schedules/next-runs")
@Tag(name = "Connections")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {
    /** The next start times, in UTC; none for a manual schedule. */
    @Schema(name = "NextRuns", examples = """
            {"scheduleType": "cron", "timeZone": "Europe/Paris",
             "nextRuns": ["2026-12-08T05:00:00Z", "2026-12-09T05:00:00Z", "2026-12-10T05:00:00Z"]}""")
    public record NextRuns(String scheduleType, String timeZone, List<Instant> nextRuns) { }

    @Inject
    SchedulesConfig schedules;

    @POST
    @PermissionsAllowed(Permissions.READ)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Preview a schedule", description = "The next three times a connection with this schedule would "
            + "start a sync, counted from now (a basic schedule without a start time syncs first when the connection is saved; "
            + "one with a start time waits for it); the "
            + "same field errors as creating a connection with it.")
    @APIResponse(responseCode = "200", description = "the next runs",
            content = @Content(schema = @Schema(implementation = NextRuns.class)))
    @APIResponse(responseCode = "400", description = "the schedule cannot run; errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "bad cron", value = """
                            {"type": "https://syncline.dev/problems/invalid-request", "title": "Invalid request", "status": 400,
                             "errors": [{"field": "schedule.cronExpression", "message": "not a valid Quartz cron expression: Failed to parse cron expression. Value 25 not in range [0, 23]"}]}""")))
    public NextRuns nextRuns(@Valid @NotNull ConnectionDtos.Schedule schedule) {
        List<Problem.FieldError> errors = ConnectionSettings.schedule(schedule, schedules.subMinute());
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        SyncSchedule rules = schedule.rules();
        String zone = "cron".equals(schedule.scheduleType()) ? schedule.cronTimeZone()
                : "basic".equals(schedule.scheduleType()) ? schedule.basicTimeZone() : null;
        return new NextRuns(schedule.scheduleType(), zone == null ? "UTC" : zone, rules.next(null, Instant.now(), 3));
    }
}
