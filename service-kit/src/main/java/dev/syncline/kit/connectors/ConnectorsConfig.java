package dev.syncline.kit.connectors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connectors' settings ({@code syncline.connectors.*}): where they may not go (Syncline's own addresses and
 * databases, which the launcher and docker-compose.yml pass to every service), what an admin allows anyway, and the
 * folders file connectors may use. Unset, nothing is the platform's and no folder is open.
 */
@ConfigMapping(prefix = "syncline.connectors")
public interface ConnectorsConfig {
    Platform platform();

    /**
     * Targets an admin allows although they are the platform's: {@code host:port} (any connector), or
     * {@code host:port/database} for one of the platform's databases (postgres connectors).
     */
    Optional<List<String>> allowedTargets();

    Files files();

    /**
     * Per connector type, e.g. {@code syncline.connectors.airbyte-process.check-timeout}: declared here so these keys are
     * known settings; schema-service reads them by name, since a map key cannot be read back from an environment
     * variable's name (SYNCLINE_CONNECTORS_AIRBYTE_PROCESS_...).
     */
    @WithParentName
    Map<String, PerType> type();

    /** Syncline's own machinery: connectors never reach it. */
    interface Platform {
        /** The platform's PostgreSQL, {@code host:port}. */
        Optional<String> postgres();

        /** The databases on it that are Syncline's: each service's and the registry's. */
        Optional<List<String>> databases();

        /** Every other address, {@code host:port}: Kafka's broker and controller, the registry, each service, the console. */
        Optional<List<String>> targets();
    }

    /** Where file connectors (files source, DuckDB destination) may read and write. */
    interface Files {
        /** Absolute folders; a path is checked after its links and {@code ..} are resolved. */
        Optional<List<Path>> roots();
    }

    /** How long one connector type's check and discover may take (schema-service). */
    interface PerType {
        Optional<Duration> checkTimeout();

        Optional<Duration> discoverTimeout();
    }
}
