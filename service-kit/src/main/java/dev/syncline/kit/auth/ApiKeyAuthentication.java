package dev.syncline.kit.auth;

import dev.syncline.apikeys.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/** {@code Authorization: Bearer <API key>} on every request; a request without it is anonymous (and then refused). */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {
    private static final String BEARER = "Bearer ";
    /** Why the key on this request was refused (a routing-context entry). */
    static final String FAILURE = "syncline.auth.failure";

    @Inject
    FailedSignIns failedSignIns;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String address = clientAddress(context);
        boolean bearer = header.regionMatches(true, 0, BEARER, 0, BEARER.length());
        String key = bearer ? header.substring(BEARER.length()).trim() : header.trim();
        // counted per key prefix and address: one client's wrong keys never lock out the others of its address
        String prefix = ApiKeys.prefix(key);
        if (failedSignIns.blocked(prefix, address)) {
            return Uni.createFrom().failure(new FailedSignIns.TooManyFailures());
        }
        if (!bearer) {
            failedSignIns.failed(prefix, address);
            context.put(FAILURE, "send the API key as Authorization: Bearer <key>");
            return Uni.createFrom().failure(new AuthenticationFailedException((String) context.get(FAILURE)));
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential(key, "bearer"));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request)
                .onFailure(AuthenticationFailedException.class).invoke(e -> {
                    failedSignIns.failed(prefix, address);
                    // Quarkus answers a failed key with the challenge: it says why from here
                    context.put(FAILURE, e.getMessage());
                });
    }

    static String clientAddress(RoutingContext context) {
        var remote = context.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"syncline\""));
    }

    /** A request without a key: 401 problem+json, like every other error (failed keys reach {@link AuthProblems}). */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            String why = context.get(FAILURE);
            AuthProblems.send(context, dev.syncline.kit.problem.ProblemResponses.of("unauthorized", "Unauthorized", 401,
                    why != null ? why : "this request needs an API key: Authorization: Bearer <key>", context.request().path()));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
