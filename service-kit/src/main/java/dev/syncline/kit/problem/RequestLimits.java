package dev.syncline.kit.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request body over {@code syncline.http.max-body-size} is refused before it is read: 413 problem+json naming the
 * limit (Vert.x's own limit, {@code quarkus.http.limits.max-body-size}, is set to the same value and still stops a
 * body that announces no length).
 */
@ApplicationScoped
public class RequestLimits {
    @ConfigProperty(name = "syncline.http.max-body-size", defaultValue = "4194304")
    long maxBodySize;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced > maxBodySize) {
                Problem p = new Problem(Problem.TYPE_BASE + "payload-too-large", "Payload too large", 413,
                        "the request body is " + announced + " bytes; at most " + maxBodySize + " are accepted",
                        ctx.request().path(), List.of(new Problem.FieldError("body", "at most " + maxBodySize + " bytes")));
                try {
                    ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .putHeader("Connection", "close").end(json.writeValueAsString(p));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    ctx.response().setStatusCode(413).end();
                }
                return;
            }
            ctx.next();
        });
    }
}
