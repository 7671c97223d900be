package dev.syncline.console;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Every page but sign-in, the static files, health and metrics needs a signed-in browser: a page is redirected to
 * /sign-in (htmx is told to go there), anything else is 401. A read-only key (viewer) may look but not change: its
 * POSTs are refused here, before any service is asked.
 */
@ApplicationScoped
public class ConsoleAuth {
    /** The routing-context entry that holds the request's session. */
    static final String SESSION = "syncline.session";

    @Inject
    ConsoleSessions sessions;

    void install(@Observes Router router) {
        // after the body-size and CORS handlers Quarkus installs, before any page
        router.route().order(-500).handler(this::handle);
    }

    static boolean open(String path) {
        return path.equals("/sign-in") || path.equals("/q") || path.startsWith("/q/") || path.equals("/console.css")
                || path.equals("/console.js") || path.equals("/operations.js") || path.startsWith("/_static/")
                || path.startsWith("/webjars/") || path.equals("/favicon.ico");
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        Cookie cookie = ctx.request().getCookie(ConsoleSessions.COOKIE);
        Optional<ConsoleSessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isPresent()) {
            ctx.put(SESSION, session.get());
        }
        if (open(path)) {
            ctx.next();
            return;
        }
        if (session.isEmpty()) {
            String next = ctx.request().uri();
            String signIn = "/sign-in" + ("/".equals(next) ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            if (ctx.request().getHeader("HX-Request") != null) {
                ctx.response().setStatusCode(401).putHeader("HX-Redirect", "/sign-in").end();
            } else if (method.equals("GET") || method.equals("HEAD")) {
                ctx.response().setStatusCode(303).putHeader("Location", signIn).end();
            } else {
                ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("sign in first: " + signIn);
            }
            return;
        }
        boolean changes = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (changes && session.get().readOnly() && !path.equals("/sign-out")) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "text/html; charset=utf-8")
                    .end("<!DOCTYPE html><title>Read only</title><p role=\"alert\">Your API key's role ("
                            + ("viewer".equals(session.get().role()) ? "viewer" : "read only")
                            + ") can look but not change anything. <a href=\"/connections\">Back</a></p>");
            return;
        }
        ctx.next();
    }

    /** The session of the current request, if any. */
    static Optional<ConsoleSessions.Session> of(RoutingContext ctx) {
        return ctx == null ? Optional.empty() : Optional.ofNullable(ctx.get(SESSION));
    }
}
