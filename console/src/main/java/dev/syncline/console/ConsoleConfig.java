package dev.syncline.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The console's own settings ({@code syncline.console.*}); where the services are is {@link ServiceUrls}. */
@ConfigMapping(prefix = "syncline.console")
public interface ConsoleConfig {
    /** The services' own credential, for the console's background reads ({@code SYNCLINE_SERVICE_KEY}): see {@link ForwardKey}. */
    Optional<String> serviceKey();

    /** A signed-in browser that does nothing this long signs in again. */
    @WithDefault("PT8H")
    Duration sessionIdleTimeout();

    /** Failed sign-ins from one address before further ones are refused, within {@link #failedSignInWindow()}. */
    @WithDefault("10")
    int maxFailedSignIns();

    @WithDefault("PT1M")
    Duration failedSignInWindow();

    /** Origins besides the console's own address whose pages may send forms to it ({@link ForgeryGuard}). */
    Optional<List<String>> allowedOrigins();

    /** The operations page's sampling ({@code syncline.operations.*}). */
    @ConfigMapping(prefix = "syncline.operations")
    interface Operations {
        /** How often the operations page samples the broker and the services. */
        @WithDefault("2s")
        Duration sampleInterval();
    }

    /** The cookie quarkus-rest-csrf sets ({@code quarkus.rest-csrf.cookie-name}): the CSRF token a form must repeat. */
    @ConfigMapping(prefix = "quarkus.rest-csrf")
    interface Csrf {
        String cookieName();
    }
}
