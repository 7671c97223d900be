package dev.syncline.kit.auth;

import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemResponses;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Authentication and authorization failures as problem+json, like every other error: 401 without a valid key,
 * 403 for a role that may not do this, 429 after too many failed attempts, 503 when keys cannot be checked.
 */
@ApplicationScoped
public class AuthProblems {
    private static final Logger LOG = Logger.getLogger(AuthProblems.class);


    @Inject
    FailedSignIns failedSignIns;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (ctx.response().ended()) {
            ctx.next();
            return;
        }
        String path = ctx.request().path();
        Problem p;
        if (f instanceof FailedSignIns.TooManyFailures) {
            ctx.response().putHeader("Retry-After", String.valueOf(failedSignIns.retryAfterSeconds()));
            p = ProblemResponses.of("too-many-requests", "Too many failed sign-ins", 429, f.getMessage(), path);
        } else if (f instanceof ApiKeyIdentityProvider.KeyStoreUnavailable || (f != null && f.getCause() instanceof ApiKeyIdentityProvider.KeyStoreUnavailable)) {
            LOG.warnf("API keys could not be checked on %s: %s", path, f.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            p = ProblemResponses.of("service-unavailable", "Service unavailable", 503,
                    "API keys cannot be checked right now (this service's database is not answering); try again shortly", path);
        } else if (f instanceof AuthenticationFailedException || f instanceof UnauthorizedException
                || f instanceof AuthenticationCompletionException) {
            String why = f instanceof AuthenticationFailedException && f.getMessage() != null ? f.getMessage()
                    : "this request needs an API key: Authorization: Bearer <key>";
            p = ProblemResponses.of("unauthorized", "Unauthorized", 401, why, path);
        } else if (f instanceof ForbiddenException) {
            p = ProblemResponses.of("forbidden", "Forbidden", 403, "this API key's role may not " + ctx.request().method().name()
                    + " " + path, path);
        } else {
            ctx.next();
            return;
        }
        send(ctx, p);
    }

    static void send(RoutingContext ctx, Problem p) {
        if (p.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"syncline\"");
        }
        ProblemResponses.end(ctx, p);
    }
}
