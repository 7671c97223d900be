package dev.syncline.kit.connectors;

import dev.syncline.connectors.ConnectorRegistry;
import dev.syncline.connectors.reach.ConnectorReach;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/** The built-in connectors, as a bean every service injects, guarded by the platform's reach rules from config. */
public class Connectors {
    private static final Logger LOG = Logger.getLogger(Connectors.class);

    @Produces
    @ApplicationScoped
    ConnectorRegistry registry(ConnectorsConfig config) {
        return ConnectorRegistry.builtIn(reach(config));
    }

    /** The same rules on their own, for what else a user's input makes Syncline reach (notification webhooks). */
    @Produces
    @jakarta.inject.Singleton
    ConnectorReach connectorReach(ConnectorsConfig config) {
        return reach(config);
    }

    static ConnectorReach reach(ConnectorsConfig config) {
        ConnectorReach.Builder reach = ConnectorReach.builder();
        config.platform().postgres().ifPresent(pg -> reach.platformPostgres(pg, config.platform().databases().orElse(List.of())));
        reach.platformTargets(config.platform().targets().orElse(List.of()));
        reach.allowedTargets(config.allowedTargets().orElse(List.of()));
        List<Path> roots = config.files().roots().orElse(List.of());
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                LOG.warnf("syncline.connectors.files.roots: %s is not a folder (yet): file connectors refuse paths under it", root);
            }
        }
        return reach.filesRoots(roots).build();
    }
}
