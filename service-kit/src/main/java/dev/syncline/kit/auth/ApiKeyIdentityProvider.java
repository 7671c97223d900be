package dev.syncline.kit.auth;

import dev.syncline.apikeys.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Iterator;

/**
 * Turns an API key into an identity: its hash looked up in the service's {@code api_key} table (issued here or
 * copied from syncline.api-keys), else the two keys the launcher configures by their hash: the first admin key
 * (until a row says it was revoked) and the services' own credential.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    /** The id the launcher's admin key has in every api_key table: derived from its hash, the same everywhere. */
    public static java.util.UUID bootstrapId(String hash) {
        return java.util.UUID.nameUUIDFromBytes(("syncline-admin-key:" + hash).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Inject
    Pool db;

    @Inject
    AuthConfig config;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String key = request.getToken().getToken();
        if (key == null || !key.startsWith(ApiKeys.PREFIX) || key.length() > 200) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a Syncline API key"));
        }
        String hash = ApiKeys.hash(key);
        if (config.serviceKeyHash().isPresent() && ApiKeys.sameHash(hash, config.serviceKeyHash().get())) {
            return Uni.createFrom().item(identity(new Caller("service", "service credential", ApiKeys.prefix(key), Role.SERVICE)));
        }
        return db.preparedQuery("select id, name, prefix, role, expires_at, revoked_at from api_key where key_hash = $1")
                .execute(Tuple.of(hash))
                .onFailure().transform(e -> new KeyStoreUnavailable(e))
                .map(rows -> {
                    Iterator<Row> it = rows.iterator();
                    if (!it.hasNext()) {
                        if (config.adminKeyHash().isPresent() && ApiKeys.sameHash(hash, config.adminKeyHash().get())) {
                            return identity(new Caller(bootstrapId(hash).toString(), "admin (created by the launcher)",
                                    ApiKeys.prefix(key), Role.ADMIN));
                        }
                        throw new AuthenticationFailedException("unknown API key");
                    }
                    Row r = it.next();
                    if (r.getOffsetDateTime("revoked_at") != null) {
                        throw new AuthenticationFailedException("this API key was revoked");
                    }
                    OffsetDateTime expires = r.getOffsetDateTime("expires_at");
                    if (expires != null && !expires.isAfter(OffsetDateTime.now())) {
                        throw new AuthenticationFailedException("this API key expired at " + expires);
                    }
                    return identity(new Caller(r.getUUID("id").toString(), r.getString("name"), r.getString("prefix"),
                            Role.parse(r.getString("role"))));
                });
    }

    private static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRole(caller.role().id())
                .addPermissionsAsString(caller.role().permissions())
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }

    /** The key could not be checked: this service's database did not answer (503, not 401). */
    public static final class KeyStoreUnavailable extends RuntimeException {
        KeyStoreUnavailable(Throwable cause) {
            super("API keys cannot be checked right now: " + cause.getMessage(), cause);
        }
    }
}
