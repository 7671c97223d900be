package dev.syncline.connection.streams;

import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.events.FieldChange;
import dev.syncline.events.SchemaDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What a new catalog means for a connection's streams: what breaks them, and how its changes are propagated. */
public final class SchemaChanges {
    private SchemaChanges() { }

    /**
     * Whether {@code catalog} holds every stream and field {@code diff} adds: a catalog stored while a discovery is
     * still being applied can lag behind the change shown for review.
     */
    public static boolean holds(Catalog catalog, SchemaDiff diff) {
        return diff.getStreamsAdded().stream().allMatch(r -> catalog.stream(r.getNamespace(), r.getName()).isPresent())
                && diff.getFieldChanges().stream().filter(f -> "added".equals(f.getChange()))
                .allMatch(f -> catalog.stream(f.getNamespace(), f.getStream())
                        .flatMap(st -> st.field(f.getField().getFirst())).isPresent());
    }

    /**
     * Changes a sync cannot survive, each naming its stream and field: a cursor removed from an incremental stream,
     * a primary-key field removed, or the source-defined key changed, on a deduped stream.
     */
    public static List<String> breaking(List<ConnectionDtos.ConfiguredStream> configured, Catalog before, Catalog after,
                                        SchemaDiff diff) {
        List<String> out = new ArrayList<>();
        for (ConnectionDtos.ConfiguredStream s : configured) {
            boolean incremental = s.syncMode() == SyncMode.INCREMENTAL;
            boolean dedup = s.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                    || s.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
            if (diff != null) {
                for (FieldChange c : diff.getFieldChanges()) {
                    if (!c.getChange().equals("removed") || !c.getStream().equals(s.name())
                            || !Objects.equals(c.getNamespace(), s.namespace())) {
                        continue;
                    }
                    if (incremental && c.getField().equals(s.cursorField())) {
                        out.add("stream " + s.name() + ": cursor field " + String.join(".", c.getField()) + " was removed");
                    }
                    if (dedup && s.primaryKey().contains(c.getField())) {
                        out.add("stream " + s.name() + ": primary key field " + String.join(".", c.getField()) + " was removed");
                    }
                }
            }
            if (dedup && before != null) {
                Optional<Stream> was = before.stream(s.namespace(), s.name());
                Optional<Stream> is = after.stream(s.namespace(), s.name());
                if (was.isPresent() && is.isPresent() && !was.get().sourceDefinedPrimaryKey().isEmpty()
                        && !was.get().sourceDefinedPrimaryKey().equals(is.get().sourceDefinedPrimaryKey())) {
                    out.add("stream " + s.name() + ": the source's primary key changed from "
                            + was.get().sourceDefinedPrimaryKey() + " to " + is.get().sourceDefinedPrimaryKey());
                }
            }
        }
        return out;
    }

    /**
     * Field changes into the streams: removed fields go, retyped fields take their new type, new fields are added.
     * Streams themselves stay as they are.
     */
    public static List<ConnectionDtos.ConfiguredStream> propagateColumns(List<ConnectionDtos.ConfiguredStream> configured,
                                                                         Catalog after, SchemaDiff diff) {
        List<ConnectionDtos.ConfiguredStream> out = new ArrayList<>();
        for (ConnectionDtos.ConfiguredStream s : configured) {
            Optional<Stream> now = after.stream(s.namespace(), s.name());
            if (now.isEmpty()) {
                out.add(s); // gone from the source: kept until the user (or propagate_fully) removes it
                continue;
            }
            List<Field> fields = new ArrayList<>();
            for (Field f : now.get().fields()) {
                boolean wasSelected = s.fields().stream().anyMatch(x -> x.name().equals(f.name()));
                boolean isNew = diff != null && diff.getFieldChanges().stream().anyMatch(c -> c.getChange().equals("added")
                        && c.getStream().equals(s.name()) && c.getField().equals(List.of(f.name())));
                if (wasSelected || isNew) {
                    fields.add(f);
                }
            }
            out.add(new ConnectionDtos.ConfiguredStream(s.namespace(), s.name(), s.syncMode(), s.destinationSyncMode(),
                    s.cursorField(), s.primaryKey(), fields, s.destinationName()));
        }
        return out;
    }

    /** Column changes, plus new streams (in the preset's best mode) added and vanished streams removed. */
    public static List<ConnectionDtos.ConfiguredStream> propagateFully(List<ConnectionDtos.ConfiguredStream> configured,
                                                                       Catalog after, SchemaDiff diff, SyncModePreset preset,
                                                                       Set<DestinationSyncMode> destination) {
        List<ConnectionDtos.ConfiguredStream> out = new ArrayList<>();
        for (ConnectionDtos.ConfiguredStream s : propagateColumns(configured, after, diff)) {
            if (after.stream(s.namespace(), s.name()).isPresent()) {
                out.add(s);
            }
        }
        for (Stream s : after.streams()) {
            boolean known = configured.stream().anyMatch(c -> c.name().equals(s.name()) && Objects.equals(c.namespace(), s.namespace()));
            boolean added = diff == null || diff.getStreamsAdded().stream()
                    .anyMatch(r -> r.getName().equals(s.name()) && Objects.equals(r.getNamespace(), s.namespace()));
            if (!known && added) {
                SyncModeResolver.resolve(preset, s, destination).ifPresent(m -> out.add(new ConnectionDtos.ConfiguredStream(
                        s.namespace(), s.name(), m.syncMode(), m.destinationSyncMode(), s.defaultCursorField(),
                        s.sourceDefinedPrimaryKey(), s.fields(), null)));
            }
        }
        return out;
    }

    /** Streams whose new columns need a backfill: incremental ones (a full refresh reads every row anyway). */
    public static List<ConnectionDtos.ConfiguredStream> needingBackfill(List<ConnectionDtos.ConfiguredStream> streams,
                                                                        SchemaDiff diff) {
        if (diff == null) {
            return List.of();
        }
        return streams.stream().filter(s -> s.syncMode() == SyncMode.INCREMENTAL && diff.getFieldChanges().stream()
                .anyMatch(c -> c.getChange().equals("added") && c.getStream().equals(s.name()))).toList();
    }

    public static boolean isEmpty(SchemaDiff d) {
        return d == null || (d.getStreamsAdded().isEmpty() && d.getStreamsRemoved().isEmpty() && d.getFieldChanges().isEmpty());
    }
}
