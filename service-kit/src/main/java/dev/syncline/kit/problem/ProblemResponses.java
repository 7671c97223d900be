package dev.syncline.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Problems answered before a request reaches a resource (Vert.x handlers: the body-size limit, authentication), in
 * the same problem+json as {@link ProblemMappers} writes.
 */
public final class ProblemResponses {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY);

    private ProblemResponses() { }

    /** A problem of type {@code slug} (after {@link Problem#TYPE_BASE}) about {@code path}, naming no field. */
    public static Problem of(String slug, String title, int status, String detail, String path) {
        return new Problem(Problem.TYPE_BASE + slug, title, status, detail, path, List.of());
    }

    /** Ends the response with {@code p}: its status, problem+json, and whatever headers the caller set before. */
    public static void end(RoutingContext ctx, Problem p) {
        try {
            ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(JSON.writeValueAsString(p));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(p.status()).end();
        }
    }
}
