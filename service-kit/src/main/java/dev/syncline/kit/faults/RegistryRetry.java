package dev.syncline.kit.faults;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * A message whose schema cannot be fetched because the registry is away is read again until it returns (up to four
 * minutes, under Kafka's five-minute poll interval), instead of going to the dead-letter topic; a message that is not
 * Avro, or names a schema the registry does not have, goes there at once with the reason.
 */
@ApplicationScoped
@Identifier(RegistryRetry.NAME)
public class RegistryRetry implements DeserializationFailureHandler<Object> {
    public static final String NAME = "syncline-registry-retry";
    private static final Logger LOG = Logger.getLogger(RegistryRetry.class);
    static final Duration PATIENCE = Duration.ofMinutes(4);

    /** What was wrong with the bytes, in words (the dead-letter topic's reason). */
    static String why(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof io.apicurio.registry.rest.client.models.ProblemDetails p) {
                return "the registry has no schema for its id (" + p.getStatus() + " " + p.getTitle() + ")";
            }
            if (c.getMessage() != null && c.getMessage().contains("artifact reference cannot be null")) {
                return "not Avro in the registry's format (no schema id)";
            }
        }
        return TransientFailures.rootMessage(failure);
    }

    @Override
    public Object decorateDeserialization(Uni<Object> deserialization, String topic, boolean isKey, String deserializer,
                                          byte[] data, Headers headers) {
        return deserialization
                .onFailure(TransientFailures::is).invoke(t -> LOG.warnf("a message on %s cannot be read while the registry "
                        + "is away: %s (retrying)", topic, TransientFailures.rootMessage(t)))
                .onFailure(TransientFailures::is).retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                .expireIn(PATIENCE.toMillis())
                .onFailure().recoverWithItem(failure -> {
                    DeserializationFailureHandler.addFailureDetailsToHeaders(deserializer, topic, isKey, headers, data,
                            new IllegalArgumentException("not an event this service can read: " + why(failure), failure));
                    return null;
                })
                .await().indefinitely();
    }
}
