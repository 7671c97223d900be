package dev.syncline.connection.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connection.connections.Connection;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns what happens to a connection into notifications, in the same transaction as the fact itself (so none is lost
 * and none is made for a fact that was rolled back): each rule that wants the event gets a delivery, which
 * {@link NotificationSender} sends. Conditions that last (a failing sync, too many rejections) are told once when they
 * begin and, for syncs, once when they end: a connection failing every five minutes sends one notification, not one
 * per sync.
 */
@ApplicationScoped
public class Alerts {
    static final String SYNC = "sync";
    static final String REJECTIONS = "rejections";

    @Inject
    ObjectMapper json;

    /** A job failed (after its attempts). */
    public Uni<Void> syncFailed(UUID connectionId, long jobId, String message, String origin) {
        return each(connectionId, (rule, c) -> wantsSync(rule) ? turn(rule, connectionId, SYNC, true).chain(began -> began
                && rule.wants(AlertEvent.SYNC_FAILED) ? deliver(rule, c, AlertEvent.SYNC_FAILED, "Sync failed: " + name(c)
                + " (job " + jobId + "): " + message, d -> d.put("jobId", jobId).put("message", message)
                .put("failureOrigin", origin)) : Uni.createFrom().voidItem()) : Uni.createFrom().voidItem());
    }

    /** A job succeeded, having read {@code read} records and rejected {@code rejected} of them. */
    public Uni<Void> syncSucceeded(UUID connectionId, long jobId, long read, long rejected) {
        return each(connectionId, (rule, c) -> {
            Uni<Void> sync = !wantsSync(rule) ? Uni.createFrom().voidItem()
                    : turn(rule, connectionId, SYNC, false).chain(ended -> ended && rule.wants(AlertEvent.SYNC_RECOVERED)
                            ? deliver(rule, c, AlertEvent.SYNC_RECOVERED, "Sync recovered: " + name(c) + " (job " + jobId
                                    + ") succeeded after failing", d -> d.put("jobId", jobId).put("recordsRead", read)
                                    .put("recordsRejected", rejected))
                            : Uni.createFrom().voidItem());
            if (!rule.wants(AlertEvent.REJECTED_RECORDS)) {
                return sync;
            }
            BigDecimal percent = read == 0 ? BigDecimal.ZERO
                    : BigDecimal.valueOf(rejected * 100.0 / read).setScale(2, RoundingMode.HALF_UP);
            BigDecimal limit = rule.rejectedPercent == null ? NotificationRules.DEFAULT_PERCENT : rule.rejectedPercent;
            boolean over = percent.compareTo(limit) > 0;
            return sync.chain(() -> turn(rule, connectionId, REJECTIONS, over)).chain(began -> began && over
                    ? deliver(rule, c, AlertEvent.REJECTED_RECORDS, "Rejected records: " + name(c) + " (job " + jobId
                            + ") rejected " + rejected + " of " + read + " records (" + percent.stripTrailingZeros().toPlainString()
                            + "%, over " + limit.stripTrailingZeros().toPlainString() + "%)", d -> d.put("jobId", jobId)
                            .put("recordsRead", read).put("recordsRejected", rejected).put("rejectedPercent", percent)
                            .put("thresholdPercent", limit))
                    : Uni.createFrom().voidItem());
        });
    }

    /** Syncline paused the connection. */
    public Uni<Void> paused(UUID connectionId, String reason) {
        return each(connectionId, (rule, c) -> rule.wants(AlertEvent.CONNECTION_PAUSED)
                ? deliver(rule, c, AlertEvent.CONNECTION_PAUSED, "Connection paused: " + name(c) + ": " + reason,
                        d -> d.put("reason", reason))
                : Uni.createFrom().voidItem());
    }

    /** The source's schema changed in a way that breaks streams the connection syncs. */
    public Uni<Void> breakingSchemaChange(UUID connectionId, List<String> what) {
        return each(connectionId, (rule, c) -> rule.wants(AlertEvent.BREAKING_SCHEMA_CHANGE)
                ? deliver(rule, c, AlertEvent.BREAKING_SCHEMA_CHANGE, "Breaking schema change: " + name(c) + ": "
                        + String.join("; ", what), d -> d.set("changes", json.valueToTree(what)))
                : Uni.createFrom().voidItem());
    }

    /** A test notification for a rule, now (for {@code connectionId}, or none for a rule of every connection). */
    public Uni<NotificationDelivery> test(NotificationRule rule, Connection c) {
        String summary = "Test notification from Syncline" + (c == null ? "" : " for " + name(c))
                + ": this webhook receives " + String.join(", ", rule.eventList().stream().map(AlertEvent::wireName).toList());
        return delivery(rule, c, "test", summary, d -> d.put("test", true));
    }

    private static boolean wantsSync(NotificationRule rule) {
        return rule.wants(AlertEvent.SYNC_FAILED) || rule.wants(AlertEvent.SYNC_RECOVERED);
    }

    private static String name(Connection c) {
        return c == null ? "every connection" : c.name;
    }

    private interface PerRule {
        Uni<Void> apply(NotificationRule rule, Connection c);
    }

    /** The rules for a connection (its own and those of every connection), one after the other. */
    private Uni<Void> each(UUID connectionId, PerRule work) {
        return Connection.<Connection>findById(connectionId).chain(c -> c == null ? Uni.createFrom().voidItem()
                : NotificationRule.<NotificationRule>list("connectionId = ?1 or connectionId is null order by createdAt",
                        connectionId).chain(rules -> {
                    Uni<Void> all = Uni.createFrom().voidItem();
                    for (NotificationRule r : rules) {
                        all = all.chain(() -> work.apply(r, c));
                    }
                    return all;
                }));
    }

    /**
     * Sets a condition on or off for a rule and a connection: true when that changed it. Off is the state of a
     * condition never seen, so a first success tells nothing and a first failure tells.
     */
    private static Uni<Boolean> turn(NotificationRule rule, UUID connectionId, String condition, boolean on) {
        String sql = on
                ? "insert into notification_state (rule_id, connection_id, condition, firing, changed_at) "
                        + "values (?1, ?2, ?3, true, now()) on conflict (rule_id, connection_id, condition) "
                        + "do update set firing = true, changed_at = now() where notification_state.firing = false"
                : "update notification_state set firing = false, changed_at = now() "
                        + "where rule_id = ?1 and connection_id = ?2 and condition = ?3 and firing = true";
        return Panache.getSession().chain(s -> s.createNativeQuery(sql).setParameter(1, rule.id).setParameter(2, connectionId)
                .setParameter(3, condition).executeUpdate()).map(n -> n > 0);
    }

    private Uni<Void> deliver(NotificationRule rule, Connection c, AlertEvent event, String summary, Consumer<ObjectNode> details) {
        return delivery(rule, c, event.wireName(), summary, details).replaceWithVoid();
    }

    private Uni<NotificationDelivery> delivery(NotificationRule rule, Connection c, String event, String summary,
                                               Consumer<ObjectNode> details) {
        NotificationDelivery d = new NotificationDelivery();
        d.id = UUID.randomUUID();
        d.ruleId = rule.id;
        d.connectionId = c == null ? null : c.id;
        d.event = event;
        d.summary = summary.length() > 2000 ? summary.substring(0, 1999) + "…" : summary;
        d.status = NotificationDelivery.PENDING;
        d.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        d.nextAttemptAt = d.createdAt;
        d.test = "test".equals(event);
        ObjectNode body = json.createObjectNode().put("deliveryId", d.id.toString()).put("event", event)
                .put("title", d.test ? "Test notification" : AlertEvent.fromWire(event).title()).put("summary", d.summary)
                .put("occurredAt", d.createdAt.toString());
        if (c != null) {
            body.putObject("connection").put("id", c.id.toString()).put("name", c.name);
        }
        details.accept(body.putObject("details"));
        d.payload = body.toString();
        return d.persist();
    }
}
