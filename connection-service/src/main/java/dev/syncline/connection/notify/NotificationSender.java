package dev.syncline.connection.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.kit.secrets.SecretBox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries: a JSON or Slack-compatible body, signed with the rule's secret
 * ({@code X-Syncline-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, as GitHub signs its webhooks), retried
 * with exponential backoff (honouring {@code Retry-After}) until a 2xx answer or the last attempt (a 3xx or a 4xx
 * other than 408, 425 and 429 is not retried: the URL needs a change). Answers' bodies are never read. The URL is checked
 * against Syncline's own addresses before every attempt and redirects are never followed, so a webhook cannot be made
 * to reach Syncline's machinery. Instances share the work: a delivery is leased (its next attempt moved two minutes on)
 * in the transaction that picks it.
 */
@ApplicationScoped
public class NotificationSender {
    private static final Logger LOG = Logger.getLogger(NotificationSender.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    NotificationsConfig config;

    @Inject
    SecretBox secrets;

    @Inject
    ConnectorReach reach;

    @Inject
    ObjectMapper json;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    @Inject
    MeterRegistry metrics;

    /** A delivery as it is sent: what the lease transaction read. */
    record Send(UUID id, int attempt, String event, String url, String format, String secret, String payload) { }

    /** What an attempt came to. */
    record Outcome(Integer status, String error, Duration retryAfter, boolean retryable) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    @Scheduled(every = "${syncline.notifications.tick:1s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        return lease().chain(sends -> {
            if (sends.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // sent side by side, each bounded by its deadline (one slow receiver holds up no other); recorded one after
            // the other, as the tick's reactive session is one
            List<Uni<Outcome>> each = new ArrayList<>();
            for (Send s : sends) {
                each.add(vertx.executeBlocking(Uni.createFrom().item(() -> send(s)), false));
            }
            return Uni.join().all(each).andCollectFailures().chain(outcomes -> {
                Uni<Void> all = Uni.createFrom().voidItem();
                for (int i = 0; i < sends.size(); i++) {
                    Send s = sends.get(i);
                    Outcome o = outcomes.get(i);
                    all = all.chain(() -> record(s, o));
                }
                return all;
            });
        }).onFailure().invoke(t -> {
            if (!String.valueOf(t.getMessage()).contains("Pool closed")) {
                LOG.warnf("notification delivery tick failed: %s", t.getMessage());
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Picks up to 20 due deliveries, leases them, and reads their rules. */
    private Uni<List<Send>> lease() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "select * from notification_delivery where status = 'pending' and next_attempt_at <= now() "
                                + "order by next_attempt_at limit 20 for update skip locked", NotificationDelivery.class)
                .getResultList())
                .chain(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(List.<Send>of());
                    }
                    List<UUID> ruleIds = due.stream().map(d -> d.ruleId).distinct().toList();
                    return NotificationRule.<NotificationRule>list("id in ?1", ruleIds).map(rules -> {
                        Map<UUID, NotificationRule> byId = rules.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
                        List<Send> sends = new ArrayList<>();
                        for (NotificationDelivery d : due) {
                            NotificationRule r = byId.get(d.ruleId);
                            if (r == null) {
                                finish(d, new Outcome(null, "the rule was deleted before this was sent", null, false));
                                continue;
                            }
                            d.attempts++;
                            d.nextAttemptAt = OffsetDateTime.now(ZoneOffset.UTC).plus(LEASE);
                            try {
                                sends.add(new Send(d.id, d.attempts, d.event, secrets.decrypt(r.url), r.format,
                                        r.secret == null ? null : secrets.decrypt(r.secret), d.payload));
                            } catch (RuntimeException e) {
                                // kept under another key (syncline.secrets.key changed): this one is given up, not the rest
                                finish(d, new Outcome(null, "the rule's URL or secret cannot be decrypted with this "
                                        + "Syncline's key; enter them again", null, false));
                            }
                        }
                        return sends;
                    });
                }));
    }

    /** One attempt, on a worker thread. */
    Outcome send(Send s) {
        Optional<String> refused = WebhookUrls.refusal(s.url(), reach);
        if (refused.isPresent()) {
            return new Outcome(null, refused.get(), null, !refused.get().contains("Syncline itself"));
        }
        String body = "slack".equals(s.format()) ? slack(s.payload()) : s.payload();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s.url().trim())).timeout(config.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "Syncline-Webhooks/1")
                .header("X-Syncline-Event", s.event()).header("X-Syncline-Delivery", s.id().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (s.secret() != null) {
            request.header("X-Syncline-Signature-256", "sha256=" + sign(s.secret(), body));
            // replay-proof too (Stripe's scheme): the time of this attempt signed with the body, so a receiver that
            // refuses old timestamps cannot be sent a recorded request again
            long t = java.time.Instant.now().getEpochSecond();
            request.header("X-Syncline-Timestamp", String.valueOf(t));
            request.header("X-Syncline-Signature", "t=" + t + ",v1=" + sign(s.secret(), t + "." + body));
        }
        try {
            // the answer's body is never read nor kept (a receiver may echo the URL, which is a credential, or drip it
            // for ever); the whole exchange has a deadline, whatever the receiver does
            HttpResponse<Void> answer = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .orTimeout(config.timeout().plusSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).get();
            int status = answer.statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(status, null, null, false);
            }
            boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
            String why = status >= 300 && status < 400
                    ? "answered " + status + " (a redirect, not followed: give the final URL)"
                    : "answered " + status + (retryable ? "" : " (not retried: the URL or the receiver needs a change)");
            return new Outcome(status, why, retryAfter(answer), retryable);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String what = cause instanceof java.util.concurrent.TimeoutException ? "no answer within "
                    + config.timeout().plusSeconds(5).toSeconds() + " s" : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new Outcome(null, what, null, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted", null, true);
        }
    }

    private Uni<Void> record(Send s, Outcome outcome) {
        return Panache.withTransaction(() -> NotificationDelivery.<NotificationDelivery>findById(s.id()).invoke(d -> {
            if (d != null) {
                finish(d, outcome);
            }
        })).replaceWithVoid();
    }

    private void finish(NotificationDelivery d, Outcome o) {
        d.lastStatus = o.status();
        d.lastError = o.error() == null ? null : cut(o.error(), 1000);
        if (o.delivered()) {
            d.status = NotificationDelivery.DELIVERED;
            d.deliveredAt = OffsetDateTime.now(ZoneOffset.UTC);
            d.nextAttemptAt = null;
        } else if (!o.retryable() || d.attempts >= config.maxAttempts()) {
            d.status = NotificationDelivery.FAILED;
            d.nextAttemptAt = null;
            LOG.warnf("notification %s (%s) given up after %d attempt(s): %s", d.id, d.event, d.attempts, o.error());
        } else {
            Duration backoff = config.firstBackoff().multipliedBy(1L << Math.min(20, d.attempts - 1));
            if (o.retryAfter() != null && o.retryAfter().compareTo(backoff) > 0) {
                backoff = o.retryAfter();
            }
            if (backoff.compareTo(config.maxBackoff()) > 0) {
                backoff = config.maxBackoff();
            }
            d.nextAttemptAt = OffsetDateTime.now(ZoneOffset.UTC).plus(backoff);
        }
        metrics.counter("syncline_notifications_attempts", "outcome", o.delivered() ? "delivered"
                : NotificationDelivery.FAILED.equals(d.status) ? "given_up" : "retry").increment();
    }

    /** A Slack-compatible body: {@code {"text": "*title*: summary"}}. */
    String slack(String payload) {
        try {
            JsonNode p = json.readTree(payload);
            return json.createObjectNode().put("text", "*" + escape(p.path("title").asText()) + "*: "
                    + escape(p.path("summary").asText())).toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Slack's control characters escaped, so a connection's name or a failure's text cannot @-mention or link. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Hex of HMAC-SHA256(secret, body). */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration retryAfter(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
            } catch (NumberFormatException e) {
                return null; // an HTTP date: the backoff applies
            }
        }).orElse(null);
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
