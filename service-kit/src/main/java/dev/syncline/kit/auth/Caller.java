package dev.syncline.kit.auth;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling: the API key's id, name, prefix and role, as the identity of a request carries them. */
public record Caller(String keyId, String name, String prefix, Role role) {
    static final String ATTRIBUTE = "syncline.caller";

    /** The caller of a request that passed authentication. */
    public static Caller of(SecurityIdentity identity) {
        Caller c = identity == null ? null : identity.getAttribute(ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return c;
    }
}
