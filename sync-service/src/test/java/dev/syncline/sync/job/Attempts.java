package dev.syncline.sync.job;

import dev.syncline.events.ConfiguredCatalog;
import dev.syncline.events.ConfiguredStream;
import dev.syncline.events.ConnectionConfiguration;
import dev.syncline.events.FieldDescriptor;
import dev.syncline.events.FieldMapping;
import dev.syncline.events.Mapping;
import dev.syncline.events.Schedule;
import java.util.List;
import java.util.UUID;

/** Jobs and connection configurations for the stages' unit tests (no server). */
final class Attempts {
    private Attempts() { }

    static Job job(JobType type) {
        Job j = Job.requested(UUID.randomUUID(), type, "r-" + UUID.randomUUID(), "user");
        j.id = 42L;
        j.attempt = 1;
        return j;
    }

    static ConfiguredStream stream(String namespace, String name, String syncMode, String destinationSyncMode) {
        return ConfiguredStream.newBuilder().setNamespace(namespace).setName(name).setSyncMode(syncMode)
                .setDestinationSyncMode(destinationSyncMode).setPrimaryKey(List.of(List.of("id")))
                .setFields(List.of(field("id", "integer", false), field("email", "string", true))).build();
    }

    static FieldDescriptor field(String name, String type, boolean nullable) {
        return FieldDescriptor.newBuilder().setPath(List.of(name)).setType(type).setNullable(nullable).build();
    }

    static ConnectionConfiguration.Builder configuration(ConfiguredStream... streams) {
        return ConnectionConfiguration.newBuilder().setName("Source → Destination").setSourceId("s").setDestinationId("d")
                .setStatus("active").setSchedule(Schedule.newBuilder().setType("manual").build())
                .setConfiguredCatalog(ConfiguredCatalog.newBuilder().setStreams(List.of(streams)).build());
    }

    /** Stream {@code namespace.name} upserted into object Contact by email, which the object requires. */
    static Mapping contactMapping(String namespace, String name) {
        return Mapping.newBuilder().setNamespace(namespace).setStream(name).setDestinationObject("Contact")
                .setInsertionMethod("upsert").setMatchingKey(List.of("Email"))
                .setFieldMappings(List.of(FieldMapping.newBuilder().setSource(List.of("email")).setDestination("Email").build()))
                .setObjectFields(List.of(field("Email", "string", false))).build();
    }
}
