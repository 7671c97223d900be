package dev.syncline.console;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Optional;

/** Who is signed in on this request, for the pages ({@code inject:signedIn} in a template). */
@Named("signedIn")
@RequestScoped
public class SignedIn {
    @Inject
    CurrentVertxRequest request;

    private Optional<ConsoleSessions.Session> session() {
        return ConsoleAuthentication.of(request.getCurrent());
    }

    public boolean isPresent() {
        return session().isPresent();
    }

    public String getName() {
        return session().map(ConsoleSessions.Session::name).orElse("");
    }

    public String getRole() {
        return session().map(ConsoleSessions.Session::role).orElse("");
    }

    public String getPrefix() {
        return session().map(ConsoleSessions.Session::prefix).orElse("");
    }
}
