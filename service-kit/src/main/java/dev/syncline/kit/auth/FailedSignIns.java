package dev.syncline.kit.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Failed sign-ins per client address: after {@code syncline.auth.max-failures} failures within
 * {@code syncline.auth.failure-window} of the first, every further attempt from that address is refused (429) until the
 * window ends, whether its key is right or not, so guessing learns nothing. Caffeine expires the windows.
 */
@ApplicationScoped
public class FailedSignIns {
    @ConfigProperty(name = "syncline.auth.max-failures", defaultValue = "10")
    int maxFailures;

    @ConfigProperty(name = "syncline.auth.failure-window", defaultValue = "PT1M")
    Duration window;

    private Cache<String, AtomicInteger> failures;

    @PostConstruct
    void init() {
        // the window starts at an address' first failure: increments do not write the entry, so do not extend it
        failures = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    /** Whether attempts from {@code address} are refused now. */
    public boolean blocked(String address) {
        AtomicInteger n = failures.getIfPresent(address);
        return n != null && n.get() >= maxFailures;
    }

    public void failed(String address) {
        failures.get(address, a -> new AtomicInteger()).incrementAndGet();
    }

    public long retryAfterSeconds() {
        return Math.max(1, window.toSeconds());
    }

    /** The attempt was refused without being checked: too many failures from its address. */
    public static final class TooManyFailures extends RuntimeException {
        public TooManyFailures() {
            super("too many failed sign-ins from this address; try again later");
        }
    }
}
