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
        static native TemplateInstance nextRuns(String scheduleType, String timeZone, List<String> runs, String problem);
    }

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance preview(MultivaluedMap<String, String> form) {
        String type = NewConnectionFlow.schedule(form).path("scheduleType").asText("manual");
        if (type.equals("manual")) {
            return Templates.nextRuns(type, "", List.of(), null);
        }
        try {
            JsonNode answer = connectionService.nextRuns(NewConnectionFlow.schedule(form));
            List<String> runs = new ArrayList<>();
            answer.path("nextRuns").forEach(r -> runs.add(r.asText()));
            return Templates.nextRuns(type, answer.path("timeZone").asText("UTC"), runs, null);
        } catch (WebApplicationException e) {
            return Templates.nextRuns(type, "", List.of(), e.getResponse().getStatus() == 400
                    ? String.join("; ", Problems.of(e).errorsOrDetail().values()) : ConnectionPage.problem(e));
        } catch (RuntimeException e) {
            return Templates.nextRuns(type, "", List.of(), "connection-service did not answer; the schedule is checked when saved.");
        }
    }
}
