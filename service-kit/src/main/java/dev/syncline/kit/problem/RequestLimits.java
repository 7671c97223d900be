package dev.syncline.kit.problem;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * A request body over {@code syncline.http.max-body-size} is refused without being parsed or stored: 413
 * problem+json naming the limit (Vert.x's own limit, {@code quarkus.http.limits.max-body-size}, is set to the same value and still stops a
 * body that announces no length).
 */
@ApplicationScoped
public class RequestLimits {
    @Inject
    HttpLimitsConfig config;

    private void refuse(io.vertx.ext.web.RoutingContext ctx, Problem p) {
        if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/1: what is left of the body is not read; HTTP/2 has no such header (the stream just ends)
            ctx.response().putHeader("Connection", "close");
        }
        ProblemResponses.end(ctx, p);
    }

    void install(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            boolean expectsContinue = "100-continue".equalsIgnoreCase(ctx.request().getHeader("Expect"));
            if (announced > config.maxBodySize()) {
                Problem p = new Problem(Problem.TYPE_BASE + "payload-too-large", "Payload too large", 413,
                        "the request body is " + announced + " bytes; at most " + config.maxBodySize() + " are accepted",
                        ctx.request().path(), List.of(new Problem.FieldError("body", "at most " + config.maxBodySize() + " bytes")));
                if (expectsContinue) {
                    refuse(ctx, p); // the client waits for our word before it sends the body: it never sends it
                    return;
                }
                // a client that sends the body straight away only reads the answer once it has sent it: take it in and
                // drop it (never parsed, never stored), then answer; one that sends far more than it announced is cut off
                long[] seen = {0};
                long cap = announced + 1024;
                boolean[] answered = {false};
                ctx.request().handler(chunk -> {
                    seen[0] += chunk.length();
                    if (seen[0] > cap && !answered[0]) {
                        answered[0] = true;
                        refuse(ctx, p);
                    }
                });
                ctx.request().endHandler(v -> {
                    if (!answered[0]) {
                        answered[0] = true;
                        refuse(ctx, p);
                    }
                });
                ctx.request().resume();
                return;
            }
            if (expectsContinue && !ctx.response().headWritten()) {
                ctx.response().writeContinue();
            }
            ctx.next();
        });
    }
}
