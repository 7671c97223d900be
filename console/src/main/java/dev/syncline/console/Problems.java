package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a service's problem+json answer says, read once: its detail and its errors by field. */
record Problems(int status, String detail, Map<String, String> errors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Problems of(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String fallback = "the service answered " + status;
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            JsonNode p = JSON.readTree(e.getResponse().readEntity(String.class));
            for (JsonNode err : p.path("errors")) {
                errors.merge(err.path("field").asText(), err.path("message").asText(), (a, b) -> a + "; " + b);
            }
            String detail = p.path("detail").asText(p.path("title").asText(""));
            return new Problems(status, detail.isBlank() ? fallback : detail, errors);
        } catch (RuntimeException | java.io.IOException noBody) {
            return new Problems(status, fallback, errors); // the status says it
        }
    }

    /** Its field errors, or its detail under the empty key when it named no field. */
    Map<String, String> errorsOrDetail() {
        if (!errors.isEmpty()) {
            return errors;
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("", detail);
        return m;
    }
}
