package dev.syncline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.testing.SecuredEndpoints;
import org.junit.jupiter.api.Test;

/** Every REST resource method of this service names who may call it on itself (see SecuredEndpoints). */
class EndpointsAreSecuredTest {
    @Test
    void everyResourceMethodCarriesItsOwnSecurityAnnotation() {
        SecuredEndpoints.Result result = SecuredEndpoints.unsecured(dev.syncline.schema.discovery.CatalogResource.class);
        assertThat(result.resourceMethods()).as("resource methods seen").isGreaterThanOrEqualTo(2);
        assertThat(result.unsecured()).as("resource methods without @PermissionsAllowed (or another security annotation)")
                .isEmpty();
    }
}
