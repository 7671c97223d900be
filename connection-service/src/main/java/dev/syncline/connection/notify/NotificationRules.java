package dev.syncline.connection.notify;

import dev.syncline.connection.connections.Connection;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.kit.problem.Problem;
import dev.syncline.kit.problem.ProblemException;
import dev.syncline.kit.secrets.SecretBox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Notification rules: made, changed and removed through the API, and the one a connection's
 * {@code notificationWebhook} field stands for (that field is kept as such a rule, with every event and no secret).
 */
@ApplicationScoped
public class NotificationRules {
    static final BigDecimal DEFAULT_PERCENT = BigDecimal.TEN;

    @Inject
    SecretBox secrets;

    @Inject
    ConnectorReach reach;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    /** A new rule for {@code connectionId}, or for every connection (null). */
    public Uni<NotificationRule> create(UUID connectionId, NotificationDtos.RuleRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.url() == null || r.url().isBlank()) {
            errors.add(new Problem.FieldError("url", "a rule needs the URL its notifications go to"));
        }
        NotificationRule rule = new NotificationRule();
        rule.id = UUID.randomUUID();
        rule.connectionId = connectionId;
        rule.createdAt = OffsetDateTime.now();
        apply(rule, r, errors);
        return reachable(r.url(), errors).chain(() -> rule.<NotificationRule>persist());
    }

    /** Changes what the request holds. */
    public Uni<NotificationRule> update(NotificationRule rule, NotificationDtos.RuleRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.url() != null && r.url().isBlank()) {
            errors.add(new Problem.FieldError("url", "a rule needs a URL; delete the rule to stop its notifications"));
        }
        apply(rule, r, errors);
        return reachable(r.url(), errors).chain(() -> {
            if (rule.fromConnectionField && r.url() != null) {
                return Connection.<Connection>findById(rule.connectionId).invoke(c -> {
                    if (c != null) {
                        c.notificationWebhook = rule.urlShown;
                    }
                }).replaceWith(rule);
            }
            return Uni.createFrom().item(rule);
        });
    }

    /** Removes a rule (its deliveries stay in the log); the connection field it stood for is emptied. */
    public Uni<Void> delete(NotificationRule rule) {
        Uni<Void> field = !rule.fromConnectionField ? Uni.createFrom().voidItem()
                : Connection.<Connection>findById(rule.connectionId).invoke(c -> {
                    if (c != null) {
                        c.notificationWebhook = null;
                    }
                }).replaceWithVoid();
        return field.chain(() -> NotificationRule.deleteById(rule.id)).replaceWithVoid();
    }

    /**
     * The connection's {@code notificationWebhook} as a rule: made or changed to {@code url} (every event, JSON), or
     * removed (null). The connection keeps the URL's shown form.
     */
    public Uni<Void> fromConnectionField(UUID connectionId, String url) {
        return NotificationRule.<NotificationRule>find("connectionId = ?1 and fromConnectionField = true", connectionId)
                .firstResult().chain(existing -> {
                    if (url == null) {
                        return existing == null ? Uni.createFrom().voidItem()
                                : NotificationRule.deleteById(existing.id).replaceWithVoid();
                    }
                    NotificationRule rule = existing;
                    if (rule == null) {
                        rule = new NotificationRule();
                        rule.id = UUID.randomUUID();
                        rule.connectionId = connectionId;
                        rule.fromConnectionField = true;
                        rule.createdAt = OffsetDateTime.now();
                        rule.format = "json";
                        rule.events = AlertEvent.all();
                        rule.rejectedPercent = DEFAULT_PERCENT;
                    }
                    rule.url = secrets.encrypt(url.trim());
                    rule.urlShown = WebhookUrls.shown(url);
                    rule.name = "Notification webhook (" + rule.urlShown + ")";
                    rule.updatedAt = OffsetDateTime.now();
                    return rule.persist().replaceWithVoid();
                });
    }

    /** The field errors of a connection's notificationWebhook: as written, then where it points (off the event loop). */
    public Uni<List<Problem.FieldError>> connectionFieldProblems(String url) {
        if (url == null || url.isBlank()) {
            return Uni.createFrom().item(List.of());
        }
        Optional<String> written = WebhookUrls.problem(url);
        if (written.isPresent()) {
            return Uni.createFrom().item(List.of(new Problem.FieldError("notificationWebhook", written.get())));
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> WebhookUrls.refusal(url, reach)))
                .map(refused -> refused.map(m -> List.of(new Problem.FieldError("notificationWebhook", m))).orElse(List.of()));
    }

    private void apply(NotificationRule rule, NotificationDtos.RuleRequest r, List<Problem.FieldError> errors) {
        if (r.url() != null && !r.url().isBlank()) {
            WebhookUrls.problem(r.url()).ifPresentOrElse(p -> errors.add(new Problem.FieldError("url", p)), () -> {
                rule.url = secrets.encrypt(r.url().trim());
                rule.urlShown = WebhookUrls.shown(r.url());
            });
        }
        if (r.name() != null && !r.name().isBlank()) {
            rule.name = r.name().trim();
        } else if (rule.name == null && rule.urlShown != null) {
            rule.name = rule.urlShown;
        }
        if (r.format() != null && !r.format().equals("json") && !r.format().equals("slack")) {
            errors.add(new Problem.FieldError("format", "must be json or slack"));
        } else if (r.format() != null) {
            rule.format = r.format();
        } else if (rule.format == null) {
            rule.format = "json";
        }
        if (r.secret() != null) {
            if (r.secret().isEmpty()) {
                rule.secret = null;
            } else if (r.secret().length() < 16) {
                errors.add(new Problem.FieldError("secret", "at least 16 characters (a random string, kept by you and by "
                        + "the receiver to check each request's signature)"));
            } else {
                rule.secret = secrets.encrypt(r.secret());
            }
        }
        if (r.events() != null) {
            LinkedHashSet<String> events = new LinkedHashSet<>();
            for (int i = 0; i < r.events().size(); i++) {
                String e = r.events().get(i);
                if (!AlertEvent.known(e)) {
                    errors.add(new Problem.FieldError("events[" + i + "]", "'" + e + "' is not one of " + NotificationDtos.EVENTS));
                } else {
                    events.add(e);
                }
            }
            if (r.events().isEmpty()) {
                errors.add(new Problem.FieldError("events", "name at least one event, or delete the rule"));
            }
            rule.events = String.join(",", events);
        } else if (rule.events == null) {
            rule.events = AlertEvent.all();
        }
        if (r.rejectedPercent() != null) {
            rule.rejectedPercent = r.rejectedPercent();
        } else if (rule.rejectedPercent == null) {
            rule.rejectedPercent = DEFAULT_PERCENT;
        }
        rule.updatedAt = OffsetDateTime.now();
    }

    /** Refuses, with every field error at once, a rule that cannot be saved or whose URL is Syncline's own. */
    private Uni<Void> reachable(String url, List<Problem.FieldError> errors) {
        if (!errors.isEmpty() || url == null || url.isBlank()) {
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> WebhookUrls.refusal(url, reach))).invoke(refused ->
                refused.ifPresent(m -> {
                    throw ProblemException.invalid(List.of(new Problem.FieldError("url", m)));
                })).replaceWithVoid();
    }
}
