package dev.syncline.connection.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connection.streams.StreamConfigurator;
import dev.syncline.connection.streams.StreamRequest;
import dev.syncline.connection.streams.SyncModePreset;
import dev.syncline.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A connection: which source goes to which destination, how and when. Its state changes happen here. */
@Entity
@Table(name = "connection")
public class Connection extends PanacheEntityBase {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(name = "source_id", nullable = false)
    public UUID sourceId;

    @Column(name = "destination_id", nullable = false)
    public UUID destinationId;

    /** active, inactive, paused or deprecated. */
    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String schedule;

    @Column(name = "namespace_definition", nullable = false)
    public String namespaceDefinition;

    @Column(name = "namespace_format")
    public String namespaceFormat;

    public String prefix;

    /** JSON list of {@link ConnectionDtos.ConfiguredStream}; null until the source's schema is known. */
    @Column(name = "configured_catalog")
    public String configuredCatalog;

    @Column(name = "sync_mode_preset", nullable = false)
    public String syncModePreset;

    /** JSON list of tag ids. */
    @Column(nullable = false)
    public String tags;

    @Column(name = "schema_change_policy", nullable = false)
    public String schemaChangePolicy;

    @Column(name = "backfill_new_columns", nullable = false)
    public boolean backfillNewColumns;

    /** Data activation: rejected records are offered again at the next sync. */
    @Column(name = "retry_rejected_records", nullable = false)
    public boolean retryRejectedRecords = true;

    @Column(name = "notification_webhook")
    public String notificationWebhook;

    /** JSON list of the StreamRequests the user gave; null: every stream, by the preset. */
    @Column(name = "stream_requests")
    public String streamRequests;

    /** JSON list of {@link dev.syncline.connection.mapping.MappingValidator.Resolved}: data activation only. */
    public String mappings;

    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    static Connection create(String name, UUID sourceId, UUID destinationId, ConnectionDtos.Schedule schedule,
                             String namespaceDefinition, String namespaceFormat, String prefix) {
        Connection c = new Connection();
        c.id = UUID.randomUUID();
        c.name = name;
        c.sourceId = sourceId;
        c.destinationId = destinationId;
        c.status = "active";
        c.schedule = write(schedule);
        c.namespaceDefinition = namespaceDefinition;
        c.namespaceFormat = namespaceFormat;
        c.prefix = prefix;
        c.syncModePreset = "replicate_source";
        c.tags = "[]";
        c.schemaChangePolicy = "propagate_columns";
        c.version = 1;
        c.createdAt = OffsetDateTime.now();
        c.updatedAt = c.createdAt;
        return c;
    }

    public boolean hasConfiguredCatalog() {
        return configuredCatalog != null;
    }

    /**
     * First catalog of the source: the streams the user asked for, or every stream in the preset's best mode.
     * Returns false when the connection already had its streams.
     */
    public boolean adoptDiscoveredCatalog(Catalog catalog, Set<DestinationSyncMode> destinationModes) {
        if (hasConfiguredCatalog()) {
            return false;
        }
        SyncModePreset preset = SyncModePreset.fromJson(syncModePreset);
        StreamConfigurator.Result r = streamRequests == null
                ? StreamConfigurator.defaults(catalog, preset, destinationModes)
                : StreamConfigurator.configure(catalog, preset, destinationModes, requests());
        // what no longer fits the catalog is left out; the schema-change review (connection setup issue) shows why
        setStreams(r.streams());
        return true;
    }

    public void setStreams(List<ConnectionDtos.ConfiguredStream> streams) {
        configuredCatalog = write(streams);
        touch();
    }

    public List<StreamRequest> requests() {
        return streamRequests == null ? null : read(streamRequests, new TypeReference<>() { });
    }

    public List<dev.syncline.connection.mapping.MappingValidator.Resolved> mappingList() {
        return mappings == null ? List.of() : read(mappings, new TypeReference<>() { });
    }

    public boolean isActivation() {
        return mappings != null;
    }

    public List<String> tagIds() {
        return read(tags, new TypeReference<>() { });
    }

    static final java.util.Map<String, Set<String>> TRANSITIONS = java.util.Map.of(
            "active", Set.of("inactive", "paused", "deprecated"),
            "inactive", Set.of("active", "deprecated"),
            "paused", Set.of("active", "inactive", "deprecated"),
            "deprecated", Set.of());

    /**
     * Moves the connection to another state, when that move is allowed: users enable (active), disable (inactive) and
     * delete (deprecated); the system pauses (paused, with a reason). Returns the event, or null when nothing changes.
     */
    public dev.syncline.events.ConnectionStateChanged changeState(String to, String actor, String reason) {
        if (to.equals(status)) {
            return null;
        }
        if (!TRANSITIONS.getOrDefault(status, Set.of()).contains(to)) {
            throw ProblemException.conflict("connection " + id + " is " + status + " and cannot become " + to);
        }
        if ("paused".equals(to) != "system".equals(actor)) {
            throw ProblemException.conflict(("paused".equals(to) ? "only Syncline pauses a connection"
                    : "Syncline only pauses a connection"));
        }
        dev.syncline.events.ConnectionStateChanged e = new dev.syncline.events.ConnectionStateChanged();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(java.time.Instant.now());
        e.setConnectionId(id.toString());
        e.setFromState(status);
        e.setToState(to);
        e.setActor(actor);
        e.setReason(reason);
        status = to;
        touch();
        return e;
    }

    /** A sync can be asked for only once the connection knows what to sync, and while it is active. */
    public void checkSyncAllowed() {
        if (!"active".equals(status)) {
            throw ProblemException.conflict("connection " + id + " is " + status + ": enable it before syncing");
        }
        if (!hasConfiguredCatalog()) {
            throw ProblemException.conflict("the source's schema of connection " + id
                    + " is not discovered yet; GET /connections/" + id + "/catalog shows the progress");
        }
    }

    public ConnectionDtos.Schedule scheduleValue() {
        return read(schedule, new TypeReference<>() { });
    }

    public List<ConnectionDtos.ConfiguredStream> streams() {
        return configuredCatalog == null ? List.of() : read(configuredCatalog, new TypeReference<>() { });
    }

    void touch() {
        version++;
        updatedAt = OffsetDateTime.now();
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable: " + e.getMessage(), e);
        }
    }
}
