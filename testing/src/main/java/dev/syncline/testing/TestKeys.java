package dev.syncline.testing;

import dev.syncline.apikeys.ApiKeys;

/**
 * The API keys tests call the services with: an admin key (what the launcher makes on first start) and the services'
 * own credential, both random per test JVM. Services are given only their SHA-256.
 */
public final class TestKeys {
    /** The first admin key. */
    public static final String ADMIN = ApiKeys.generate();
    /** The credential services and the console's background calls carry. */
    public static final String SERVICE = ApiKeys.generate();

    private TestKeys() { }
}
