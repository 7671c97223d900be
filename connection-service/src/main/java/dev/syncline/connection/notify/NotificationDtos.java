package dev.syncline.connection.notify;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Notification rules and their deliveries, as the API takes and shows them. */
public final class NotificationDtos {
    private NotificationDtos() { }

    static final String EVENTS = "sync_failed, sync_recovered, rejected_records, breaking_schema_change, connection_paused";

    /** A new rule (every field) or a change (only the fields present change; an empty secret removes it). */
    @Schema(name = "NotificationRuleRequest", examples = """
            {"name": "On-call Slack", "url": "https://hooks.slack.com/services/T000/B000/XXXX", "format": "slack",
             "secret": "a-long-random-signing-secret", "events": ["sync_failed", "sync_recovered", "rejected_records"],
             "rejectedPercent": 5}""")
    public record RuleRequest(
            @dev.syncline.kit.text.PlainText @Size(max = 100) @Schema(description = "default: the URL's host") String name,
            @Size(max = 2000) @Schema(description = "http(s); kept encrypted, shown as scheme://host/… (a chat webhook's "
                    + "URL is its credential); never one of Syncline's own addresses") String url,
            @Schema(description = "json (the event as "
                    + "JSON, default) or slack (a Slack-compatible {\"text\": …} body, which Mattermost, Discord's /slack "
                    + "endpoint and Teams workflows take too)", examples = "json") String format,
            @Size(max = 200) @Schema(description = "HMAC-SHA256 key, at least 16 characters: each request carries "
                    + "X-Syncline-Signature-256: sha256=<hex of HMAC(secret, body)>. Write-only; \"\" removes it")
            String secret,
            @Size(max = 5) @Schema(description = "what to be told about (default all): " + EVENTS) List<String> events,
            @DecimalMin(value = "0", message = "must be between 0 and 100") @DecimalMax(value = "100", message = "must be between 0 and 100")
            @Schema(description = "rejected_records: told when a run rejects more than this share of the records it "
                    + "read (default 10)", examples = "10") BigDecimal rejectedPercent) { }

    @Schema(name = "NotificationRule", examples = """
            {"ruleId": "2b4c6d8e-0a1b-4c3d-8e5f-6a7b8c9d0e1f", "connectionId": "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f",
             "appliesToAllConnections": false, "name": "On-call Slack", "url": "https://hooks.slack.com/…", "format": "slack",
             "signed": true, "events": ["sync_failed", "sync_recovered", "rejected_records"], "rejectedPercent": 5,
             "fromConnectionField": false, "createdAt": "2026-12-07T10:00:00Z", "updatedAt": "2026-12-07T10:00:00Z"}""")
    public record Rule(UUID ruleId, UUID connectionId, boolean appliesToAllConnections, String name,
                       @Schema(description = "scheme://host/… only") String url, String format,
                       @Schema(description = "whether deliveries are signed (the secret itself is never shown)") boolean signed,
                       List<String> events, BigDecimal rejectedPercent,
                       @Schema(description = "made from the connection's notificationWebhook field, which follows it")
                       boolean fromConnectionField, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                       @Schema(description = "listed for a connection: the conditions of this rule that hold for it now "
                               + "(told once, when they began), e.g. sync_failed since the first failed sync")
                       List<Firing> firing) {
        static Rule of(NotificationRule r) {
            return new Rule(r.id, r.connectionId, r.connectionId == null, r.name, r.urlShown, r.format, r.secret != null,
                    r.eventList().stream().map(AlertEvent::wireName).toList(), r.rejectedPercent, r.fromConnectionField,
                    r.createdAt, r.updatedAt, List.of());
        }

        Rule withFiring(List<Firing> now) {
            return new Rule(ruleId, connectionId, appliesToAllConnections, name, url, format, signed, events, rejectedPercent,
                    fromConnectionField, createdAt, updatedAt, List.copyOf(now));
        }
    }

    /** A condition that holds for a connection now, and since when. */
    @Schema(name = "NotificationFiring")
    public record Firing(@Schema(examples = "sync_failed") String condition,
                         @Schema(examples = "2026-12-07T06:00:03Z") String since) {
    }

    @Schema(name = "NotificationDelivery", examples = """
            {"deliveryId": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "ruleId": "2b4c6d8e-0a1b-4c3d-8e5f-6a7b8c9d0e1f",
             "ruleName": "On-call Slack", "connectionId": "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f", "event": "sync_failed",
             "summary": "Sync failed: Users → Warehouse (job 42): connection refused", "status": "delivered", "attempts": 2,
             "lastStatus": 200, "lastError": null, "createdAt": "2026-12-07T10:00:00Z", "deliveredAt": "2026-12-07T10:00:06Z",
             "nextAttemptAt": null, "test": false}""")
    public record Delivery(UUID deliveryId, UUID ruleId, String ruleName, UUID connectionId,
                           @Schema(description = EVENTS + ", or test") String event, String summary,
                           @Schema(enumeration = {"pending", "delivered", "failed"}) String status, int attempts,
                           @Schema(description = "the last answer's HTTP status") Integer lastStatus,
                           @Schema(description = "why the last attempt failed") String lastError,
                           OffsetDateTime createdAt, OffsetDateTime deliveredAt,
                           @Schema(description = "pending: when it is tried again") OffsetDateTime nextAttemptAt, boolean test) {
        static Delivery of(NotificationDelivery d, String ruleName) {
            return new Delivery(d.id, d.ruleId, ruleName, d.connectionId, d.event, d.summary, d.status, d.attempts,
                    d.lastStatus, d.lastError, d.createdAt, d.deliveredAt,
                    NotificationDelivery.PENDING.equals(d.status) ? d.nextAttemptAt : null, d.test);
        }
    }
}
