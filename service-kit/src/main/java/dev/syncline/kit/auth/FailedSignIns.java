package dev.syncline.kit.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed sign-ins per key prefix and client address: after {@code syncline.auth.max-failures} failures of keys with
 * one prefix from one address within {@code syncline.auth.failure-window} of the first, every further attempt with that
 * prefix from that address is refused (429) until the window ends, whether the key is right or not, so hammering a
 * key learns nothing. Other keys from the same address still work: the console calls for all its users from one
 * address, and one user's wrong keys must not lock the others out (the console limits sign-ins per browser address
 * itself). Guessing a whole key is hopeless anyway: 256 random bits. Caffeine expires the windows.
 */
@ApplicationScoped
public class FailedSignIns {
    @Inject
    AuthConfig config;

    private Cache<String, AtomicInteger> failures;

    @PostConstruct
    void init() {
        // the window starts at the first failure: increments do not write the entry, so do not extend it
        failures = Caffeine.newBuilder().expireAfterWrite(config.failureWindow()).maximumSize(100_000).build();
    }

    /** Whether attempts with keys of {@code prefix} from {@code address} are refused now. */
    public boolean blocked(String prefix, String address) {
        AtomicInteger n = failures.getIfPresent(key(prefix, address));
        return n != null && n.get() >= config.maxFailures();
    }

    public void failed(String prefix, String address) {
        failures.get(key(prefix, address), a -> new AtomicInteger()).incrementAndGet();
    }

    private static String key(String prefix, String address) {
        return prefix + '\n' + address;
    }

    public long retryAfterSeconds() {
        return Math.max(1, config.failureWindow().toSeconds());
    }

    /** The attempt was refused without being checked: too many failures of its key from its address. */
    public static final class TooManyFailures extends RuntimeException {
        public TooManyFailures() {
            super("too many failed sign-ins with this key from this address; try again later");
        }
    }
}
