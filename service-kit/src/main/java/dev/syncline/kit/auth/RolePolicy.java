package dev.syncline.kit.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code syncline-roles} policy every path but health, metrics and the OpenAPI document is under (see the kit's
 * microprofile-config.properties): no key is 401, a role that may not do this is 403 ({@link Role#allows}).
 */
@ApplicationScoped
public class RolePolicy implements HttpSecurityPolicy {
    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext requestContext) {
        return identity.map(id -> {
            if (id == null || id.isAnonymous()) {
                return CheckResult.DENY;
            }
            Caller caller = id.getAttribute(Caller.ATTRIBUTE);
            return caller != null && caller.role().allows(request.request().method().name(), request.normalizedPath())
                    ? CheckResult.PERMIT : CheckResult.DENY;
        });
    }

    @Override
    public String name() {
        return "syncline-roles";
    }
}
