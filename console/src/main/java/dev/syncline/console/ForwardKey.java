package dev.syncline.console;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Every call the console makes to a service carries a key: the signed-in user's for a page (so a service applies that
 * user's role, not the console's), else the console's own service credential (its background work).
 */
@ApplicationScoped
public class ForwardKey implements ClientHeadersFactory {
    @Inject
    ConsoleConfig config;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (outgoing.containsKey("Authorization")) {
            return headers; // a call that names its key (sign-in checks the key it was given)
        }
        Optional<String> key = userKey().or(config::serviceKey);
        key.ifPresent(k -> headers.putSingle("Authorization", "Bearer " + k));
        return headers;
    }

    static Optional<String> userKey() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        CurrentVertxRequest current = Arc.container().instance(CurrentVertxRequest.class).get();
        return current == null ? Optional.empty() : ConsoleAuthentication.of(current.getCurrent()).map(ConsoleSessions.Session::key);
    }
}
