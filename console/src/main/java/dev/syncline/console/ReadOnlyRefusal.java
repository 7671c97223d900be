package dev.syncline.console;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A signed-in key whose role may not do what the resource method does (a viewer's form): said on a page, 403. */
public class ReadOnlyRefusal {
    @ServerExceptionMapper
    public Response refuse(ForbiddenException e, io.vertx.ext.web.RoutingContext ctx) {
        boolean viewer = ConsoleAuthentication.of(ctx).flatMap(ConsoleSessions.Session::access)
                .filter(r -> r == ConsoleRole.VIEWER).isPresent();
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity("<!DOCTYPE html><title>Read only</title><p role=\"alert\">Your API key's role ("
                        + (viewer ? ConsoleRole.VIEWER.wireName() : "read only")
                        + ") can look but not change anything. <a href=\"/connections\">Back</a></p>").build();
    }
}
