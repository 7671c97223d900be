package dev.syncline.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.apikeys.ApiKeys;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sign in with an API key (connection-service says whose it is and its role), sign out. Failed sign-ins are counted
 * per browser address: after too many, the form refuses for a while whatever key it is given. This is what limits
 * guessing through the console: the services count failures per key prefix and address, and the console's calls all
 * come from one address.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class SignInPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String next, String error, int status);
    }

    @Inject
    ConsoleSessions sessions;

    @Inject
    @RestClient
    ConnectionServiceClient connectionService;

    @Inject
    ServiceUrls services;

    @Inject
    RoutingContext routing;

    @Inject
    ConsoleConfig.Csrf csrf;

    @GET
    @Path("sign-in")
    @PermitAll
    public TemplateInstance form(@QueryParam("next") String next) {
        return Templates.signIn(local(next), null, 200);
    }

    @POST
    @Path("sign-in")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("key") String key, @FormParam("next") String next) {
        String address = routing.request().remoteAddress() == null ? "unknown" : routing.request().remoteAddress().hostAddress();
        String to = local(next);
        if (sessions.blocked(address)) {
            return page(to, "Too many failed sign-ins from your address: wait " + sessions.windowSeconds()
                    + " s and try again.", 429);
        }
        String trimmed = key == null ? "" : key.trim();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            sessions.failed(address);
            return page(to, "Enter an API key (it starts with " + ApiKeys.PREFIX + ").", 400);
        }
        JsonNode me;
        try {
            me = connectionService.me("Bearer " + trimmed);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 401) {
                sessions.failed(address);
                return page(to, "That API key was not accepted (unknown, revoked or expired).", 401);
            }
            return page(to, ConsolePages.unreachable("connection-service", services.connectionService().url(), e), 503);
        } catch (RuntimeException e) {
            return page(to, ConsolePages.unreachable("connection-service", services.connectionService().url(), e), 503);
        }
        // the session keeps the CSRF token this form came with (quarkus-rest-csrf checked it against the cookie): the
        // only one its later forms are accepted with
        Cookie token = routing.request().getCookie(csrf.cookieName());
        String sid = sessions.open(new ConsoleSessions.Session(trimmed, me.path("keyId").asText(), me.path("name").asText(),
                me.path("prefix").asText(), me.path("role").asText(), token == null ? null : token.getValue()));
        Cookie cookie = Cookie.cookie(ConsoleSessions.COOKIE, sid).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setPath("/").setSecure(routing.request().isSSL()).setMaxAge(sessions.idleSeconds());
        routing.response().addCookie(cookie);
        return Response.seeOther(URI.create(to)).build();
    }

    @POST
    @Path("sign-out")
    @PermitAll
    public Response signOut() {
        Cookie cookie = routing.request().getCookie(ConsoleSessions.COOKIE);
        if (cookie != null) {
            sessions.close(cookie.getValue());
        }
        routing.response().addCookie(Cookie.cookie(ConsoleSessions.COOKIE, "").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setPath("/").setMaxAge(0));
        return Response.seeOther(URI.create("/sign-in")).build();
    }

    private static Response page(String next, String error, int status) {
        return Response.status(status).entity(Templates.signIn(next, error, status)).type(MediaType.TEXT_HTML).build();
    }

    /**
     * Only a path of this console: never a redirect elsewhere. A path of printable ASCII only (a browser drops tabs and
     * newlines from a Location, so {@code /\t/evil.example} would become {@code //evil.example}), no backslash, not
     * starting with two slashes, and a URI without scheme or host; anything else is the connections list.
     */
    static String local(String next) {
        String fallback = "/connections";
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")) {
            return fallback;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '\\') {
                return fallback;
            }
        }
        try {
            URI u = new URI(next);
            return u.getScheme() == null && u.getRawAuthority() == null ? next : fallback;
        } catch (java.net.URISyntaxException e) {
            return fallback;
        }
    }
}
