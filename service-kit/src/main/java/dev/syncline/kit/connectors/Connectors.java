package dev.syncline.kit.connectors;

import dev.syncline.connectors.ConnectorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The built-in connectors, as a bean every service injects. */
public class Connectors {
    @Produces
    @ApplicationScoped
    ConnectorRegistry registry() {
        return ConnectorRegistry.builtIn();
    }
}
