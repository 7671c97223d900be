package dev.syncline.console;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * A service that answers 401 to a signed-in user's key (revoked or expired since sign-in) ends every session of that
 * key: the browser signs in again instead of calling on with a key that keeps failing (which would count as failed
 * sign-ins against the console's own address).
 */
public class RevokedKeys implements ClientResponseFilter {
    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (response.getStatus() != 401) {
            return;
        }
        String auth = request.getHeaderString("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            io.quarkus.arc.Arc.container().instance(ConsoleSessions.class).get().closeAllOf(auth.substring("Bearer ".length()));
        }
    }
}
