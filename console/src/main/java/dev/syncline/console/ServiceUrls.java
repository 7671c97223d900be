package dev.syncline.console;

import io.smallrye.config.ConfigMapping;

/**
 * Where the console finds what it calls, read under the names their owners give them: the REST clients' URLs
 * ({@code quarkus.rest-client.<service>.url}), schema-service's ({@code syncline.schema-service.url}) and the broker's
 * ({@code kafka.bootstrap.servers}).
 */
@ConfigMapping(prefix = "quarkus.rest-client")
public interface ServiceUrls {
    Service connectionService();

    Service syncService();

    Service rejectsService();

    /** One service's base URL. */
    interface Service {
        String url();
    }

    @ConfigMapping(prefix = "syncline.schema-service")
    interface SchemaService extends Service { }

    @ConfigMapping(prefix = "kafka")
    interface Kafka {
        Bootstrap bootstrap();

        interface Bootstrap {
            String servers();
        }
    }
}
