package dev.syncline.connection.notify;

import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.spi.ConnectorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A notification webhook's URL: user input that makes Syncline send requests, so held to the connectors' rules
 * ({@link ConnectorReach}: never Syncline's own addresses), checked when saved and before every attempt. It is kept
 * encrypted and shown only as {@code scheme://host/…}: the URL of a Slack, Teams or Discord webhook is itself the
 * credential. The check resolves the host name and the request, sent just after, resolves it again: within the JVM's
 * positive DNS cache (30 s by default) it gets the answer that was checked, as the http-api connector does; and no
 * answer's body is ever read or kept, so a name that rebinds to an address of Syncline's own between the two learns
 * nothing from it.
 */
public final class WebhookUrls {
    private WebhookUrls() { }

    /** What is wrong with {@code url} as written (no DNS); empty when it can be used. */
    public static Optional<String> problem(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http(s) URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("has no host name a request can go to");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("may not hold a user name or password: give the webhook a signing secret instead");
        }
        return Optional.empty();
    }

    /**
     * Refuses an address of Syncline's own (may resolve the host name: call it off the event loop).
     *
     * @return why it is refused, or empty
     */
    public static Optional<String> refusal(String url, ConnectorReach reach) {
        URI uri = URI.create(url.trim());
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        try {
            reach.address(uri.getHost(), port);
            return Optional.empty();
        } catch (ReachRefused refused) {
            return Optional.of(refused.getMessage().replace("a connector may not reach it", "a webhook may not go there")
                    .replace("a connector may not use it", "a webhook may not go there"));
        } catch (ConnectorException unresolved) {
            return Optional.of("host " + uri.getHost() + " does not resolve");
        }
    }

    /**
     * {@code scheme://host[:port]/…}: enough to tell webhooks apart on a page, nothing of their path or query; for text
     * that is not a URL (refused before it is saved), nothing of it.
     */
    public static String shown(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "(not a URL)";
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "(not a URL)";
        }
        String origin = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        boolean more = (uri.getRawPath() != null && uri.getRawPath().length() > 1) || uri.getRawQuery() != null;
        return origin + (more ? "/…" : "/");
    }
}
