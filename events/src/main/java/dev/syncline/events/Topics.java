package dev.syncline.events;

import java.util.List;

/** Every Kafka topic of Syncline (DESIGN §3). Keys are strings: the id named per topic. */
public final class Topics {
    /** SourceConfigured, DestinationConfigured, ActorDeleted; key actorId; compacted. */
    public static final String ACTORS = "syncline.actors";
    /** ConnectionCreated, ConnectionUpdated, ConnectionStateChanged, ConnectionDeleted; key connectionId; compacted. */
    public static final String CONNECTIONS = "syncline.connections";
    /** SchemaDiscoveryRequested, CheckRequested; key actorId. */
    public static final String SCHEMA_REQUESTS = "syncline.schema.requests";
    /** SchemaDiscovered, SchemaDiscoveryFailed, CheckCompleted; key actorId. */
    public static final String SCHEMAS = "syncline.schemas";
    /** SyncRequested, ClearRequested, RefreshRequested, SyncCancelRequested; key connectionId. */
    public static final String SYNC_COMMANDS = "syncline.sync.commands";
    /** SyncStarted, SyncProgress, SyncSucceeded, SyncFailed, SyncCancelled; key connectionId. */
    public static final String SYNC_EVENTS = "syncline.sync.events";
    /** RecordsRejected (many RecordRejected each), RejectedRecordsUpdated (sync-service); key connectionId. */
    public static final String RECORDS_REJECTED = "syncline.records.rejected";
    /** RejectedRecordsDismissed (rejects-service); key connectionId. */
    public static final String REJECTS_EVENTS = "syncline.rejects.events";

    /** ApiKeyIssued, ApiKeyRevoked (connection-service); key keyId; compacted. Hashes only, never a key. */
    public static final String API_KEYS = "syncline.api-keys";

    /** Suffix of the dead-letter topic of each topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    /**
     * A topic, whether the broker compacts it (latest event per key kept forever), and the largest message it takes
     * (catalogs of thousands of tables travel on syncline.schemas, configured catalogs on syncline.connections).
     */
    public record TopicSpec(String name, boolean compacted, int maxMessageBytes) {
        TopicSpec(String name, boolean compacted) {
            this(name, compacted, MAX_MESSAGE_BYTES);
        }
    }

    /** The largest event a producer sends: a 10,000-table catalog fits. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(ACTORS, true),
            new TopicSpec(CONNECTIONS, true),
            new TopicSpec(SCHEMA_REQUESTS, false),
            new TopicSpec(SCHEMAS, false),
            new TopicSpec(SYNC_COMMANDS, false),
            new TopicSpec(SYNC_EVENTS, false),
            new TopicSpec(RECORDS_REJECTED, false),
            new TopicSpec(REJECTS_EVENTS, false),
            new TopicSpec(API_KEYS, true));

    private Topics() { }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
