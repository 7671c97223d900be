package dev.syncline.console;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Cross-site request forgery, refused before any page runs, for every request that may change something (any method
 * but GET, HEAD and OPTIONS):
 * <ul>
 * <li>it comes from this console's own pages: its {@code Origin} (or, without one, its {@code Referer}) is the
 * console's own address as the browser called it (Host, or HTTP/2's :authority), or one of
 * {@code syncline.console.allowed-origins} (a console behind a proxy that rewrites Host); none at all is refused;</li>
 * <li>a signed-in browser's CSRF token is its session's: the token cookie must be the one the browser signed in with
 * (quarkus-rest-csrf then checks the form field or header against that cookie), so a cookie and token pair taken from
 * another session is refused.</li>
 * </ul>
 */
@ApplicationScoped
public class ForgeryGuard {
    @Inject
    ConsoleSessions sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    ConsoleConfig.Csrf csrf;

    void install(@Observes Router router) {
        // after the body-size and CORS handlers Quarkus installs, before any page
        router.route().order(-500).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String method = ctx.request().method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            ctx.next();
            return;
        }
        String origin = ctx.request().getHeader("Origin");
        String from = origin != null && !origin.equals("null") ? origin : ctx.request().getHeader("Referer");
        // the address the browser called: Host on HTTP/1.1, :authority on HTTP/2
        io.vertx.core.net.HostAndPort called = ctx.request().authority();
        String host = called == null ? null : called.host() + (called.port() < 0 ? "" : ":" + called.port());
        if (!sameOrigin(from, host, config.allowedOrigins().orElse(List.of()))) {
            refuse(ctx, 403, "This request did not come from this console's own pages (its origin is "
                    + (from == null ? "not given" : "another site") + "): nothing was changed.");
            return;
        }
        Cookie session = ctx.request().getCookie(ConsoleSessions.COOKIE);
        Optional<ConsoleSessions.Session> signedIn = sessions.find(session == null ? null : session.getValue());
        if (signedIn.isPresent()) {
            Cookie token = ctx.request().getCookie(csrf.cookieName());
            if (token == null || !same(token.getValue(), signedIn.get().csrf())) {
                refuse(ctx, 400, "This form's security token is not the one of your session: reload the page and try again.");
                return;
            }
        }
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, int status, String why) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><title>Refused</title><p role=\"alert\">" + why
                        + " <a href=\"/connections\">Back to the console</a></p>");
    }

    private static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code from} (an Origin or Referer) is the console as addressed by {@code host} (the Host header), or
     * one of {@code allowed}. Ports are compared when the Host header names one (a proxy may drop it).
     */
    static boolean sameOrigin(String from, String host, List<String> allowed) {
        if (from == null || from.isBlank()) {
            return false;
        }
        URI u;
        try {
            u = URI.create(from.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (u.getScheme() == null || u.getHost() == null
                || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))) {
            return false;
        }
        String origin = u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                + (u.getPort() < 0 ? "" : ":" + u.getPort());
        for (String a : allowed) {
            if (a.trim().equalsIgnoreCase(origin)) {
                return true;
            }
        }
        if (host == null || host.isBlank()) {
            return false;
        }
        URI h;
        try {
            h = URI.create("http://" + host.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (h.getHost() == null || !h.getHost().equalsIgnoreCase(u.getHost())) {
            return false;
        }
        if (h.getPort() < 0) {
            return true;
        }
        int port = u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return port == h.getPort();
    }
}
