package dev.syncline.connection.connections;

import dev.syncline.connection.mapping.MappingRequest;
import dev.syncline.connection.streams.StreamRequest;
import dev.syncline.connection.streams.SyncModePreset;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.SyncMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of /connections. */
public final class ConnectionDtos {
    private ConnectionDtos() { }

    @Schema(name = "ConnectionCreateRequest", examples = """
            {"sourceId": "6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f", "destinationId": "0b9e8d7c-6a5f-4e3d-2c1b-0a9f8e7d6c5b",
             "schedule": {"scheduleType": "manual"}, "namespaceDefinition": "destination", "prefix": "sample_"}""")
    public record CreateRequest(
            @dev.syncline.kit.text.PlainText @Size(max = 200) @Schema(description = "default: <source name> → <destination name>") String name,
            @NotBlank String sourceId,
            @NotBlank String destinationId,
            @Valid Schedule schedule,
            @Pattern(regexp = "source|destination|custom_format", message = "must be one of source, destination, custom_format")
            String namespaceDefinition,
            @dev.syncline.kit.text.PlainText @Size(max = 200) String namespaceFormat,
            @Size(max = 60) @Pattern(regexp = "[A-Za-z0-9_]*", message = "may hold only letters, digits and underscores")
            String prefix,
            @Schema(description = "how streams are synced unless a stream says otherwise; default replicate_source")
            SyncModePreset syncModePreset,
            @Schema(description = "the streams to sync; default: every stream of the source, by the preset")
            List<@Valid StreamRequest> streams,
            @Size(max = 10, message = "at most 10 tags") @Schema(description = "tag ids, see /tags") List<String> tags,
            @Pattern(regexp = SCHEMA_CHANGE_POLICIES, message = "must be one of propagate_columns, propagate_fully, ignore, disable")
            String schemaChangePolicy,
            Boolean backfillNewColumns,
            @dev.syncline.kit.text.PlainText @Pattern(regexp = "(https?://.+)?", message = "must be an http(s) URL (empty removes it)") @Size(max = 2000) String notificationWebhook,
            @Schema(description = "data activation destinations: which stream goes to which object, field by field")
            List<@Valid MappingRequest> mappings,
            @Schema(description = "data activation: offer the records a destination rejected again at the next sync, until "
                    + "they are written or dismissed; default true", examples = "true") Boolean retryRejectedRecords) { }

    static final String SCHEMA_CHANGE_POLICIES = "propagate_columns|propagate_fully|ignore|disable";

    /** A partial update: only the fields present change. */
    @Schema(name = "ConnectionPatchRequest", examples = """
            {"name": "Users to warehouse", "schedule": {"scheduleType": "cron", "cronExpression": "0 0 6 * * ?", "cronTimeZone": "Europe/Paris"},
             "streams": [{"name": "users", "syncMode": "incremental", "destinationSyncMode": "append_dedup"}]}""")
    public record UpdateRequest(
            @Pattern(regexp = "active|inactive", message = "must be active (enable) or inactive (disable)")
            @Schema(description = "active enables the connection, inactive disables it") String status,
            @dev.syncline.kit.text.PlainText @Size(min = 1, max = 200) String name,
            @Valid Schedule schedule,
            @Pattern(regexp = "source|destination|custom_format", message = "must be one of source, destination, custom_format")
            String namespaceDefinition,
            @dev.syncline.kit.text.PlainText @Size(max = 200) String namespaceFormat,
            @Size(max = 60) @Pattern(regexp = "[A-Za-z0-9_]*", message = "may hold only letters, digits and underscores")
            String prefix,
            SyncModePreset syncModePreset,
            List<@Valid StreamRequest> streams,
            @Size(max = 10, message = "at most 10 tags") List<String> tags,
            @Pattern(regexp = SCHEMA_CHANGE_POLICIES, message = "must be one of propagate_columns, propagate_fully, ignore, disable")
            String schemaChangePolicy,
            Boolean backfillNewColumns,
            @dev.syncline.kit.text.PlainText @Pattern(regexp = "(https?://.+)?", message = "must be an http(s) URL (empty removes it)") @Size(max = 2000) String notificationWebhook,
            List<@Valid MappingRequest> mappings,
            Boolean retryRejectedRecords) { }

    @Schema(name = "Schedule", description = "A scheduled sync runs at most once a minute and at least once a year: "
            + "basicUnits is a whole number, at most 525600 minutes, 8760 hours or 365 days; a cron expression (Quartz) "
            + "names a single second and must fire again. A basic schedule may start at a time of day (basicStartTime, "
            + "basicTimeZone): every 6 hours from 02:00 Europe/Berlin runs at 02:00, 08:00, 14:00 and 20:00 Berlin time; "
            + "its first sync waits for the first of those.", examples = """
            {"scheduleType": "basic", "basicUnits": 6, "basicTimeUnit": "hours", "basicStartTime": "02:00", "basicTimeZone": "Europe/Berlin"}""")
    public record Schedule(
            @NotBlank @Pattern(regexp = "manual|basic|cron", message = "must be one of manual, basic, cron")
            @Schema(examples = "manual") String scheduleType,
            @Schema(description = "whole units between syncs", examples = "6") Long basicUnits,
            @Pattern(regexp = "minutes|hours|days", message = "must be one of minutes, hours, days")
            @Schema(examples = "hours") String basicTimeUnit,
            @Size(max = 200) @Schema(examples = "0 0 6 * * ?") String cronExpression,
            @Size(max = 100) @Schema(examples = "Europe/Paris") String cronTimeZone,
            @Size(max = 5) @Schema(description = "basic: the daily time of day the intervals count from, HH:mm; without "
                    + "it, a basic schedule syncs when saved and counts from there", examples = "02:00") String basicStartTime,
            @Size(max = 100) @Schema(description = "basic: basicStartTime's time zone (IANA); default UTC",
                    examples = "Europe/Berlin") String basicTimeZone) {
        public static Schedule manual() {
            return new Schedule("manual", null, null, null, null, null, null);
        }

        /** The same schedule under the rules both services apply. */
        dev.syncline.kit.schedule.SyncSchedule rules() {
            return new dev.syncline.kit.schedule.SyncSchedule(scheduleType, basicUnits, basicTimeUnit, cronExpression,
                    cronTimeZone, basicStartTime, basicTimeZone);
        }
    }

    /** How one stream is synced; {@code fields} are the selected fields with their discovered types. */
    @Schema(name = "ConfiguredStream")
    public record ConfiguredStream(String namespace, String name, SyncMode syncMode,
                                   DestinationSyncMode destinationSyncMode, List<String> cursorField,
                                   List<List<String>> primaryKey, List<Field> fields, String destinationName) { }

    @Schema(name = "ConnectionResponse")
    public record Response(UUID connectionId, String name, UUID sourceId, UUID destinationId, String status,
                           Schedule schedule, String namespaceDefinition, String namespaceFormat, String prefix,
                           SyncModePreset syncModePreset, List<ConfiguredStream> streams, List<String> tags,
                           String schemaChangePolicy, boolean backfillNewColumns, String notificationWebhook,
                           List<dev.syncline.connection.mapping.MappingValidator.Resolved> mappings,
                           boolean retryRejectedRecords, OffsetDateTime createdAt, OffsetDateTime updatedAt) { }

    @Schema(name = "ConnectionCatalog", description = "status is pending while the source's schema is discovered")
    public record CatalogResponse(UUID connectionId, UUID sourceId,
                                  @Schema(examples = "discovered") String status, String message,
                                  Long catalogVersion, Catalog discoveredCatalog, List<ConfiguredStream> streams) { }

    /** A stream of the connection, for actions on some streams only. */
    @Schema(name = "StreamRef")
    public record StreamRef(String namespace, @jakarta.validation.constraints.NotBlank String name) { }

    @Schema(name = "ClearRequest", examples = "{\"streams\": [{\"name\": \"users\"}]}")
    public record ClearRequest(@Schema(description = "default: every stream") List<@Valid StreamRef> streams) { }

    @Schema(name = "RefreshRequest", examples = "{\"mode\": \"retain\", \"streams\": [{\"name\": \"users\"}]}")
    public record RefreshRequest(
            @jakarta.validation.constraints.NotNull
            @Pattern(regexp = "remove|retain", message = "must be remove or retain") String mode,
            @Schema(description = "default: every stream") List<@Valid StreamRef> streams) { }

    @Schema(name = "ActionRequested")
    public record ActionResponse(UUID connectionId, @Schema(examples = "refresh") String action, String requestId) { }

    @Schema(name = "ConnectionPage")
    public record Page(List<Response> data, @Schema(description = "pass as cursor to get the next page; null at the end")
                       String next) { }

    @Schema(name = "TimelineEvent")
    public record TimelineEntry(long id, OffsetDateTime occurredAt,
                                @Schema(examples = "sync_succeeded") String kind, @Schema(examples = "system") String actor,
                                String summary, com.fasterxml.jackson.databind.JsonNode details) { }

    @Schema(name = "SyncRequested")
    public record SyncResponse(UUID connectionId, String requestId,
                               @Schema(description = "jobs are served by sync-service: GET /jobs?connectionId=")
                               String status) { }
}
