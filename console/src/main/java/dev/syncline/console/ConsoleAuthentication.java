package dev.syncline.console;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * A signed-in browser is its session cookie: the identity of a request is that session's key holder, with the key's
 * role. Which pages need one, and which role may change things, is on each resource method ({@code @Authenticated},
 * {@code @RolesAllowed}), never on paths. A browser that is not signed in is sent to sign in: a page is redirected to
 * /sign-in (htmx is told to go there), anything else is 401.
 */
@ApplicationScoped
public class ConsoleAuthentication implements HttpAuthenticationMechanism {
    /** The routing-context entry that holds the request's session. */
    static final String SESSION = "syncline.session";

    @Inject
    ConsoleSessions sessions;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext ctx, IdentityProviderManager identityProviderManager) {
        Cookie cookie = ctx.request().getCookie(ConsoleSessions.COOKIE);
        Optional<ConsoleSessions.Session> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        ctx.put(SESSION, session.get());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(session.get().name()))
                .addRole(session.get().role())
                .build());
    }

    /** Where a browser that is not signed in goes: sign-in (a page), told so by htmx, or a plain 401. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext ctx) {
        return Uni.createFrom().item(challenge(ctx));
    }

    static ChallengeData challenge(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String next = ctx.request().uri();
        if (ctx.request().getHeader("HX-Request") != null) {
            return new ChallengeData(401, "HX-Redirect", "/sign-in");
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return new ChallengeData(303, "Location",
                    "/sign-in" + ("/".equals(next) ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        }
        return new ChallengeData(401);
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext ctx) {
        if (!ctx.response().ended()) {
            ChallengeData c = challenge(ctx);
            ctx.response().setStatusCode(c.status);
            c.getHeaders().forEach((name, value) -> ctx.response().putHeader(name, value));
            ctx.response().end();
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(); // the session cookie is checked here, against this console's own sessions
    }

    /** The session of the current request, if any. */
    static Optional<ConsoleSessions.Session> of(RoutingContext ctx) {
        return ctx == null ? Optional.empty() : Optional.ofNullable(ctx.get(SESSION));
    }
}
