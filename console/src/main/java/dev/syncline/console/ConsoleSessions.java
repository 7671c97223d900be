package dev.syncline.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed-in browsers: a random session id (the HttpOnly, SameSite=Strict cookie) to the API key it signed in with,
 * held in this console's memory only (it has no database): the key never reaches the browser after sign-in, and the
 * services check it on every call the console makes for that browser. Failed sign-ins are counted per browser address
 * (the services count per key prefix and address: all the console's calls come from one address).
 */
@ApplicationScoped
public class ConsoleSessions {
    public static final String COOKIE = "syncline_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A signed-in browser: its key, what connection-service said of it, and the CSRF token it signed in with (every
     * form it sends later must carry that one: ForgeryGuard).
     */
    public record Session(String key, String keyId, String name, String prefix, String role, String csrf) {
        /** The key's role as a type; empty for a role this console does not know. */
        Optional<ConsoleRole> access() {
            return ConsoleRole.fromWire(role);
        }
    }

    @Inject
    ConsoleConfig config;

    private Cache<String, Session> sessions;
    private Cache<String, AtomicInteger> failures;

    @PostConstruct
    void init() {
        sessions = Caffeine.newBuilder().expireAfterAccess(config.sessionIdleTimeout()).maximumSize(10_000).build();
        // the window starts at an address' first failure (increments do not write the entry)
        failures = Caffeine.newBuilder().expireAfterWrite(config.failedSignInWindow()).maximumSize(100_000).build();
    }

    /** A new session for {@code session}'s key: its id, for the cookie. */
    public String open(Session session) {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(sid, session);
        return sid;
    }

    public Optional<Session> find(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.getIfPresent(sessionId));
    }

    public void close(String sessionId) {
        if (sessionId != null) {
            sessions.invalidate(sessionId);
        }
    }

    /** Ends every session signed in with {@code key} (a service no longer accepts it). */
    public void closeAllOf(String key) {
        sessions.asMap().values().removeIf(s -> s.key().equals(key));
    }

    public boolean blocked(String address) {
        AtomicInteger n = failures.getIfPresent(address);
        return n != null && n.get() >= config.maxFailedSignIns();
    }

    public void failed(String address) {
        failures.get(address, a -> new AtomicInteger()).incrementAndGet();
    }

    public long windowSeconds() {
        return Math.max(1, config.failedSignInWindow().toSeconds());
    }

    public long idleSeconds() {
        return config.sessionIdleTimeout().toSeconds();
    }
}
