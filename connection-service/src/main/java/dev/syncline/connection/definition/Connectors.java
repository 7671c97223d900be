package dev.syncline.connection.definition;

import dev.syncline.connectors.ConnectorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The connectors this service knows (their specs validate configs; their sync modes bound connections). */
public class Connectors {
    @Produces
    @ApplicationScoped
    ConnectorRegistry registry() {
        return ConnectorRegistry.builtIn();
    }
}
