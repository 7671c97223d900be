package dev.syncline.connection.apikey;

import dev.syncline.events.Topics;
import dev.syncline.kit.auth.ApiKey;
import dev.syncline.kit.auth.ApiKeyIdentityProvider;
import dev.syncline.kit.auth.AuthConfig;
import dev.syncline.kit.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The launcher's admin key (configured by its hash) becomes a row of api_key on first start, announced on
 * syncline.api-keys like any other: listed by its prefix, and revocable once other admin keys exist.
 */
@ApplicationScoped
public class BootstrapAdminKey {
    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    @Inject
    AuthConfig auth;

    @Inject
    Outbox outbox;

    void onStart(@Observes StartupEvent start) throws Throwable {
        if (auth.adminKeyHash().isEmpty()) {
            return;
        }
        String hash = auth.adminKeyHash().get();
        String prefix = auth.adminKeyPrefix();
        java.util.UUID id = ApiKeyIdentityProvider.bootstrapId(hash);
        boolean added = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ApiKey.<ApiKey>findById(id)
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(false);
                    }
                    ApiKey k = new ApiKey();
                    k.id = id;
                    k.name = "admin (created by the launcher)";
                    k.prefix = prefix;
                    k.keyHash = hash;
                    k.role = "admin";
                    k.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return k.persist().chain(() -> outbox.publish(Topics.API_KEYS, id.toString(), ApiKeyResource.issued(k)))
                            .replaceWith(true);
                })));
        if (added) {
            LOG.infof("the launcher's admin key %s is API key %s", prefix, id);
        }
    }
}
