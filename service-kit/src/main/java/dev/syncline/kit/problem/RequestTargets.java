package dev.syncline.kit.problem;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;

/**
 * Request targets no Syncline API has a use for are refused before anything else looks at them (400 problem+json):
 * matrix parameters ({@code ;} in the path: routing drops them, so a resource would see another path than the one
 * sent) and a NUL character anywhere in the path or query ({@code %00}: PostgreSQL cannot store it, and no name or id
 * holds one).
 */
@ApplicationScoped
public class RequestTargets {

    void install(@Observes Router router) {
        // before the body-size limit (-1000), authentication and routing
        router.route().order(-1100).handler(this::check);
    }

    void check(RoutingContext ctx) {
        String path = ctx.request().path();
        String uri = ctx.request().uri();
        String problem = problem(path, uri);
        if (problem == null) {
            ctx.next();
            return;
        }
        ProblemResponses.end(ctx, new Problem(Problem.TYPE_BASE + "invalid-request", "Invalid request", 400, problem,
                null, List.of(new Problem.FieldError("path", problem))));
    }

    /** What is wrong with this request target, or null when nothing is. */
    static String problem(String path, String uri) {
        if (path != null && path.indexOf(';') >= 0) {
            return "matrix parameters (;) are not accepted in a path";
        }
        if (uri != null && uri.toLowerCase(Locale.ROOT).contains("%00")) {
            return "a NUL character (%00) is not accepted in a path or query";
        }
        return null;
    }
}
