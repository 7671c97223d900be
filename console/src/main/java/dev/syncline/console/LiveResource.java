package dev.syncline.console;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * Server-sent events the pages listen to (htmx's SSE extension): "job" when one of a connection's jobs changes,
 * "changed" when any does (the Connections list), "schema" when a source's schema was discovered again. An event
 * carries only the id: the page then fetches what changed.
 */
@Path("/live")
public class LiveResource {
    @Inject
    LiveEvents live;

    @Context
    Sse sse;

    @GET
    @Authenticated
    @Path("connections")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> connections() {
        return events(LiveEvents.SYNC_EVENTS, null, "changed");
    }

    @GET
    @Authenticated
    @Path("connections/{id}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> connection(@PathParam("id") String id) {
        return events(LiveEvents.SYNC_EVENTS, id, "job");
    }

    @GET
    @Authenticated
    @Path("sources/{id}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> source(@PathParam("id") String id) {
        return events(LiveEvents.SCHEMAS, id, "schema");
    }

    private Multi<OutboundSseEvent> events(String topic, String key, String name) {
        return live.changes().onOverflow().drop()
                .filter(c -> c.topic().equals(topic) && (key == null || c.key().equals(key)))
                .map(c -> sse.newEventBuilder().name(name).data(c.key()).build());
    }
}
