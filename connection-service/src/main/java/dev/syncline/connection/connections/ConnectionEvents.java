package dev.syncline.connection.connections;

import dev.syncline.events.ConfiguredCatalog;
import dev.syncline.events.ConfiguredStream;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.ConnectionCreated;
import dev.syncline.events.ConnectionUpdated;
import dev.syncline.events.Schedule;
import dev.syncline.events.SchemaDiscoveryRequested;
import dev.syncline.events.SyncRequested;
import dev.syncline.kit.catalog.CatalogAvro;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The events a connection raises, carrying its whole configuration (event-carried state transfer). */
final class ConnectionEvents {
    private ConnectionEvents() { }

    static ConnectionCreated created(Connection c) {
        ConnectionCreated e = new ConnectionCreated();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setConfiguration(configuration(c));
        return e;
    }

    static ConnectionUpdated updated(Connection c, List<String> changedFields) {
        ConnectionUpdated e = new ConnectionUpdated();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setConfiguration(configuration(c));
        e.setChangedFields(changedFields);
        return e;
    }

    static SchemaDiscoveryRequested discoveryRequested(Connection c) {
        SchemaDiscoveryRequested e = new SchemaDiscoveryRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setActorId(c.sourceId.toString());
        e.setRequestId(UUID.randomUUID().toString());
        e.setConnectionId(c.id.toString());
        return e;
    }

    static SyncRequested syncRequested(Connection c, String requestId) {
        SyncRequested e = new SyncRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setRequestId(requestId);
        e.setRequestedBy("user");
        return e;
    }

    static dev.syncline.events.SyncCancelRequested cancelRequested(Connection c, String requestId) {
        dev.syncline.events.SyncCancelRequested e = new dev.syncline.events.SyncCancelRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setRequestId(requestId);
        e.setRequestedBy("user");
        return e;
    }

    static dev.syncline.events.ClearRequested clearRequested(Connection c, String requestId,
                                                             List<ConnectionDtos.ConfiguredStream> streams) {
        dev.syncline.events.ClearRequested e = new dev.syncline.events.ClearRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setRequestId(requestId);
        e.setRequestedBy("user");
        e.setStreams(refs(streams));
        return e;
    }

    static dev.syncline.events.RefreshRequested refreshRequested(Connection c, String requestId,
                                                                 List<ConnectionDtos.ConfiguredStream> streams,
                                                                 ConnectionAction.RefreshMode mode) {
        dev.syncline.events.RefreshRequested e = new dev.syncline.events.RefreshRequested();
        e.setEventId(UUID.randomUUID().toString());
        e.setOccurredAt(Instant.now());
        e.setConnectionId(c.id.toString());
        e.setRequestId(requestId);
        e.setRequestedBy("user");
        e.setStreams(refs(streams));
        e.setMode(mode.wireName());
        return e;
    }

    private static List<dev.syncline.events.StreamRef> refs(List<ConnectionDtos.ConfiguredStream> streams) {
        return streams.stream().map(s -> {
            dev.syncline.events.StreamRef r = new dev.syncline.events.StreamRef();
            r.setNamespace(s.namespace());
            r.setName(s.name());
            return r;
        }).toList();
    }

    static ConnectionConfiguration configuration(Connection c) {
        ConnectionDtos.Schedule s = c.scheduleValue();
        Schedule schedule = new Schedule();
        schedule.setType(s.scheduleType());
        schedule.setBasicUnits(s.basicUnits());
        schedule.setBasicTimeUnit(s.basicTimeUnit());
        schedule.setCronExpression(s.cronExpression());
        schedule.setCronTimeZone(s.cronTimeZone());
        schedule.setBasicStartTime(s.basicStartTime());
        schedule.setBasicTimeZone(s.basicTimeZone());

        ConnectionConfiguration cfg = new ConnectionConfiguration();
        cfg.setName(c.name);
        cfg.setSourceId(c.sourceId.toString());
        cfg.setDestinationId(c.destinationId.toString());
        cfg.setStatus(c.status.wireName());
        cfg.setSchedule(schedule);
        cfg.setNamespaceDefinition(c.namespaceDefinition.wireName());
        cfg.setNamespaceFormat(c.namespaceFormat);
        cfg.setPrefix(c.prefix);
        cfg.setTags(c.tagIds());
        cfg.setSyncModePreset(c.syncModePreset);
        cfg.setSchemaChangePolicy(c.schemaChangePolicy.wireName());
        cfg.setBackfillNewColumns(c.backfillNewColumns);
        cfg.setRetryRejectedRecords(c.retryRejectedRecords);
        cfg.setNotificationWebhook(c.notificationWebhook);
        cfg.setMappings(c.mappingList().stream().map(ConnectionEvents::mapping).toList());
        cfg.setVersion(c.version);
        if (c.hasConfiguredCatalog()) {
            ConfiguredCatalog catalog = new ConfiguredCatalog();
            catalog.setStreams(c.streams().stream().map(ConnectionEvents::stream).toList());
            cfg.setConfiguredCatalog(catalog);
        }
        return cfg;
    }

    private static dev.syncline.events.Mapping mapping(dev.syncline.connection.mapping.MappingValidator.Resolved m) {
        dev.syncline.events.Mapping out = new dev.syncline.events.Mapping();
        out.setNamespace(m.namespace());
        out.setStream(m.stream());
        out.setDestinationObject(m.destinationObject());
        out.setObjectNamespace(m.objectNamespace());
        out.setInsertionMethod(m.insertionMethod().wireName());
        out.setMatchingKey(m.matchingKey());
        out.setSyncMode(m.syncMode().wireName());
        out.setCursorField(m.cursorField());
        out.setFieldMappings(m.fields().stream().map(f -> {
            dev.syncline.events.FieldMapping fm = new dev.syncline.events.FieldMapping();
            fm.setSource(f.source());
            fm.setDestination(f.destination());
            fm.setFormat(f.format());
            return fm;
        }).toList());
        out.setObjectFields(dev.syncline.kit.catalog.CatalogAvro.fieldsToAvro(m.objectFields()));
        return out;
    }

    private static ConfiguredStream stream(ConnectionDtos.ConfiguredStream s) {
        ConfiguredStream out = new ConfiguredStream();
        out.setNamespace(s.namespace());
        out.setName(s.name());
        out.setSyncMode(s.syncMode().wireName());
        out.setDestinationSyncMode(s.destinationSyncMode().wireName());
        out.setCursorField(s.cursorField() == null ? List.of() : s.cursorField());
        out.setPrimaryKey(s.primaryKey() == null ? List.of() : s.primaryKey());
        out.setFields(CatalogAvro.fieldsToAvro(s.fields()));
        out.setDestinationName(s.destinationName());
        return out;
    }
}
