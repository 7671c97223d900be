package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The schedule inputs' answer, as the user types: the next three times the schedule would start a sync (shown in the
 * viewer's time zone), or why it cannot run. connection-service decides both, by the rules it saves schedules with.
 */
@Path("/schedule/next-runs")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class SchedulePreview {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance nextRuns(String scheduleType, boolean creating, boolean anchored, String every, String timeZone,
                                                List<String> runs, String problem);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    /**
     * {@code previewFor}: "new" on a connection being set up (its first sync starts as soon as it is set up, whatever
     * the schedule), else an existing connection's Settings (a basic schedule counts from its last scheduled sync,
     * which only sync-service knows: the interval is said, not times).
     */
    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance preview(MultivaluedMap<String, String> form) {
        boolean creating = "new".equals(form.getFirst("previewFor"));
        JsonNode schedule = NewConnectionFlow.schedule(form);
        String type = schedule.path("scheduleType").asText("manual");
        String every = type.equals("basic") ? schedule.path("basicUnits").asLong() + " " + schedule.path("basicTimeUnit").asText() : "";
        boolean anchored = schedule.hasNonNull("basicStartTime"); // its times do not depend on when it last ran
        if (!type.equals("basic") && !type.equals("cron")) {
            return Templates.nextRuns("manual", creating, anchored, every, "", List.of(), null);
        }
        try {
            JsonNode answer = connectionService.nextRuns(schedule);
            List<String> runs = new ArrayList<>();
            for (JsonNode r : answer.path("nextRuns")) {
                runs.add(r.asText());
            }
            if (type.equals("basic") && !anchored) {
                runs = creating && !runs.isEmpty() ? runs.subList(1, runs.size()) : List.of(); // the first is "when set up"
            }
            return Templates.nextRuns(type, creating, anchored, every, answer.path("timeZone").asText("UTC"), runs, null);
        } catch (WebApplicationException e) {
            return Templates.nextRuns(type, creating, anchored, every, "", List.of(), e.getResponse().getStatus() == 400
                    ? String.join("; ", Problems.of(e).errorsOrDetail().values()) : ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            return Templates.nextRuns(type, creating, anchored, every, "", List.of(),
                    "connection-service did not answer; the schedule is checked when saved.");
        }
    }
}
