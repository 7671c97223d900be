package dev.syncline.connection.notify;

import dev.syncline.connection.connections.Connection;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Connections saved before notification rules kept their {@code notificationWebhook} URL in clear, and nothing was
 * ever sent to it: at start each becomes the rule it stands for (URL encrypted), and the connection keeps only its
 * shown form.
 */
@ApplicationScoped
public class ConnectionFieldWebhooks {
    private static final Logger LOG = Logger.getLogger(ConnectionFieldWebhooks.class);

    @Inject
    NotificationRules rules;

    void onStart(@Observes StartupEvent start) {
        try {
            int n = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                    Connection.<Connection>list("notificationWebhook is not null and id not in "
                            + "(select r.connectionId from NotificationRule r where r.fromConnectionField = true)")
                            .chain(this::convert)));
            if (n > 0) {
                LOG.infof("%d connection webhook(s) became notification rules", n);
            }
        } catch (Throwable t) {
            LOG.warnf("connection webhooks not converted to notification rules yet (next start): %s", t.getMessage());
        }
    }

    private Uni<Integer> convert(List<Connection> connections) {
        Uni<Void> all = Uni.createFrom().voidItem();
        int converted = 0;
        for (Connection c : connections) {
            String url = c.notificationWebhook;
            if (url.endsWith("/…") || url.endsWith("(not a URL)")) {
                continue; // a shown form whose rule was deleted meanwhile
            }
            java.util.Optional<String> problem = WebhookUrls.problem(url);
            if (problem.isPresent()) {
                // nothing was ever sent to it, and it cannot be: said once, and not kept in clear
                LOG.warnf("connection %s: its notificationWebhook cannot be used (%s); it is removed, set a notification "
                        + "rule instead", c.id, problem.get());
                c.notificationWebhook = null;
                continue;
            }
            converted++;
            all = all.chain(() -> rules.fromConnectionField(c.id, url)).invoke(() -> c.notificationWebhook = WebhookUrls.shown(url));
        }
        return all.replaceWith(converted);
    }
}
