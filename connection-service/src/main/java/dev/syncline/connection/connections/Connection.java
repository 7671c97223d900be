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
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A connection: which source goes to which destination, how and when. It changes its own fields: its status by its
 * moves ({@link #enable()}, {@link #disable()}, {@link #pause(String)}, {@link #deprecate()}, checked against
 * {@link ConnectionStatus#next()}), its settings by {@link #change}, its streams, tags and mappings by their methods.
 */
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

    /** Changed only by its moves: {@link #enable()}, {@link #disable()}, {@link #pause(String)}, {@link #deprecate()}. */
    @Column(nullable = false)
    @Convert(converter = ConnectionStatus.Column.class)
    public ConnectionStatus status;

    @Column(nullable = false)
    public String schedule;

    @Column(name = "namespace_definition", nullable = false)
    @Convert(converter = NamespaceDefinition.Column.class)
    public NamespaceDefinition namespaceDefinition;

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
    @Convert(converter = SchemaChangePolicy.Column.class)
    public SchemaChangePolicy schemaChangePolicy;

    @Column(name = "backfill_new_columns", nullable = false)
    public boolean backfillNewColumns;

    /** Data activation: rejected records are offered again at the next sync. */
    @Column(name = "retry_rejected_records", nullable = false)
    public boolean retryRejectedRecords = true;

    /**
     * The shown form ({@code scheme://host/…}) of the webhook this connection's notifications go to: the URL itself is
     * kept, encrypted, in the notification rule it stands for ({@code NotificationRules#fromConnectionField}).
     */
    @Column(name = "notification_webhook")
    public String notificationWebhook;

    /** The webhook URL a create or change sets, in clear until its rule is saved (null: removed). */
    @jakarta.persistence.Transient
    public String webhookChange;

    @jakarta.persistence.Transient
    public boolean webhookChanged;

    /** A new notificationWebhook: blank removes it; the URL goes to its rule, its shown form stays here. */
    void webhook(String url) {
        if (url == null) {
            return;
        }
        webhookChanged = true;
        webhookChange = url.isBlank() ? null : url.trim();
        notificationWebhook = webhookChange == null ? null : dev.syncline.connection.notify.WebhookUrls.shown(webhookChange);
    }

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

    /** A new connection with the request's settings (checked before), active, without streams until they are known. */
    static Connection create(String name, UUID sourceId, UUID destinationId, ConnectionDtos.CreateRequest r) {
        Connection c = new Connection();
        c.id = UUID.randomUUID();
        c.name = name;
        c.sourceId = sourceId;
        c.destinationId = destinationId;
        c.status = ConnectionStatus.ACTIVE;
        c.schedule = write(r.schedule() == null ? ConnectionDtos.Schedule.manual() : r.schedule());
        c.namespaceDefinition = NamespaceDefinition.orDefault(r.namespaceDefinition());
        c.namespaceFormat = r.namespaceFormat();
        c.prefix = r.prefix() == null ? "" : r.prefix();
        c.syncModePreset = (r.syncModePreset() == null ? SyncModePreset.REPLICATE_SOURCE : r.syncModePreset()).wireName();
        c.tags = "[]";
        c.schemaChangePolicy = SchemaChangePolicy.orDefault(r.schemaChangePolicy());
        c.backfillNewColumns = Boolean.TRUE.equals(r.backfillNewColumns());
        c.retryRejectedRecords = !Boolean.FALSE.equals(r.retryRejectedRecords());
        c.webhook(r.notificationWebhook());
        c.streamRequests = r.streams() == null ? null : write(r.streams());
        c.version = 1;
        c.createdAt = OffsetDateTime.now();
        c.updatedAt = c.createdAt;
        return c;
    }

    /**
     * A partial update's settings (checked before): what the request holds changes. Returns the names of what changed,
     * in the order ConnectionUpdated and the timeline list them. Tags, mappings and the state are changed by their own
     * methods.
     */
    List<String> change(ConnectionDtos.UpdateRequest r) {
        List<String> changed = new java.util.ArrayList<>();
        if (r.name() != null) {
            name = r.name().trim();
            changed.add("name");
        }
        if (r.schedule() != null) {
            schedule = write(r.schedule());
            changed.add("schedule");
        }
        if (r.namespaceDefinition() != null || r.namespaceFormat() != null) {
            if (r.namespaceDefinition() != null) {
                namespaceDefinition = NamespaceDefinition.orDefault(r.namespaceDefinition());
            }
            if (r.namespaceFormat() != null) {
                namespaceFormat = r.namespaceFormat();
            }
            changed.add("namespace");
        }
        if (r.prefix() != null) {
            prefix = r.prefix();
            changed.add("prefix");
        }
        if (r.schemaChangePolicy() != null) {
            schemaChangePolicy = SchemaChangePolicy.orDefault(r.schemaChangePolicy());
            changed.add("schemaChangePolicy");
        }
        if (r.backfillNewColumns() != null) {
            backfillNewColumns = r.backfillNewColumns();
            changed.add("backfillNewColumns");
        }
        if (r.retryRejectedRecords() != null) {
            retryRejectedRecords = r.retryRejectedRecords();
            changed.add("retryRejectedRecords");
        }
        if (r.notificationWebhook() != null && !r.notificationWebhook().equals(notificationWebhook)) {
            webhook(r.notificationWebhook());
            changed.add("notificationWebhook");
        }
        if (r.syncModePreset() != null) {
            syncModePreset = r.syncModePreset().wireName();
            changed.add("syncModePreset");
        }
        if (r.streams() != null) {
            streamRequests = write(r.streams());
            changed.add("streams");
        }
        return changed;
    }

    /** The connection's tags (ids of existing tags, checked before). */
    void tag(List<String> tagIds) {
        tags = write(tagIds);
    }

    /** Data activation: the mappings (checked and completed) and the streams they read. */
    void map(List<dev.syncline.connection.mapping.MappingValidator.Resolved> resolved,
             List<ConnectionDtos.ConfiguredStream> streams) {
        mappings = write(resolved);
        setStreams(streams);
    }

    public SyncModePreset preset() {
        return SyncModePreset.fromJson(syncModePreset);
    }

    /** The connection of that id; 404 when there is none (or the id is not one). */
    public static Uni<Connection> byId(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Connection", id);
        }
        return Connection.<Connection>findById(uuid).map(c -> {
            if (c == null) {
                throw ProblemException.notFound("Connection", id);
            }
            return c;
        });
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
        SyncModePreset preset = preset();
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

    /** A user enables the connection: it syncs again. Returns the event, or null when it already was active. */
    public dev.syncline.events.ConnectionStateChanged enable() {
        return move(ConnectionStatus.ACTIVE, ConnectionStatus.Mover.USER, "enabled");
    }

    /** A user disables the connection: no syncs until enabled. Returns the event, or null when nothing changes. */
    public dev.syncline.events.ConnectionStateChanged disable() {
        return move(ConnectionStatus.INACTIVE, ConnectionStatus.Mover.USER, "disabled");
    }

    /** Syncline pauses the connection, saying why (a breaking schema change, failures in a row, tables that collide). */
    public dev.syncline.events.ConnectionStateChanged pause(String reason) {
        return move(ConnectionStatus.PAUSED, ConnectionStatus.Mover.SYSTEM, reason);
    }

    /** A user deletes the connection: deprecated, it never syncs again; its history stays (the row is kept). */
    public dev.syncline.events.ConnectionStateChanged deprecate() {
        return move(ConnectionStatus.DEPRECATED, ConnectionStatus.Mover.USER, "deleted");
    }

    /**
     * Moves the connection to another status when the table allows that move by that mover (409 otherwise).
     * Returns the event, or null when the connection already is there.
     */
    private dev.syncline.events.ConnectionStateChanged move(ConnectionStatus to, ConnectionStatus.Mover mover, String reason) {
        if (to == status) {
            return null;
        }
        status.checkMove(to, mover, id);
        dev.syncline.events.ConnectionStateChanged e = new dev.syncline.events.ConnectionStateChanged();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(java.time.Instant.now());
        e.setConnectionId(id.toString());
        e.setFromState(status.wireName());
        e.setToState(to.wireName());
        e.setActor(mover.wireName());
        e.setReason(reason);
        status = to;
        touch();
        return e;
    }

    /** 409 for a deleted connection: it changes no more. */
    public void checkNotDeleted() {
        if (status == ConnectionStatus.DEPRECATED) {
            throw ProblemException.conflict("connection " + id + " is deleted");
        }
    }

    /** A sync can be asked for only once the connection knows what to sync, and while it is active. */
    public void checkSyncAllowed() {
        if (!status.syncs()) {
            throw ProblemException.conflict("connection " + id + " is " + status.wireName() + ": enable it before syncing");
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

    /** Stored JSON as a tree; null for none, or for text that is not JSON (shown as nothing rather than failing). */
    static com.fasterxml.jackson.databind.JsonNode tree(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
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
