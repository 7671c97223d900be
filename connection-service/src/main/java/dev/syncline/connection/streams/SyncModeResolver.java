package dev.syncline.connection.streams;

import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks each stream's sync mode from the preset the way Airbyte does: replicate source tries
 * incremental | append + deduped, full refresh | overwrite + deduped, full refresh | overwrite, incremental | append,
 * in that order; append history tries incremental | append, then full refresh | append. A candidate is dropped when
 * the source or the destination does not support it, or the stream lacks what it needs (a cursor for incremental,
 * a primary key for dedup).
 */
public final class SyncModeResolver {
    /** A source sync mode and a destination sync mode. */
    public record Modes(SyncMode syncMode, DestinationSyncMode destinationSyncMode) { }

    static final List<Modes> REPLICATE = List.of(
            new Modes(SyncMode.INCREMENTAL, DestinationSyncMode.APPEND_DEDUP),
            new Modes(SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE_DEDUP),
            new Modes(SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE),
            new Modes(SyncMode.INCREMENTAL, DestinationSyncMode.APPEND));

    static final List<Modes> HISTORY = List.of(
            new Modes(SyncMode.INCREMENTAL, DestinationSyncMode.APPEND),
            new Modes(SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND));

    private SyncModeResolver() { }

    /** The first candidate of the preset the stream and the destination allow; empty when none is. */
    public static Optional<Modes> resolve(SyncModePreset preset, Stream stream, Set<DestinationSyncMode> destination) {
        boolean hasCursor = !stream.defaultCursorField().isEmpty();
        boolean hasKey = !stream.sourceDefinedPrimaryKey().isEmpty();
        for (Modes m : preset == SyncModePreset.APPEND_HISTORY ? HISTORY : REPLICATE) {
            if (allowed(m, stream.supportedSyncModes(), destination, hasCursor, hasKey)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Whether a mode pair can run for a stream with (or without) a cursor and a primary key. */
    public static boolean allowed(Modes m, Set<SyncMode> source, Set<DestinationSyncMode> destination,
                                  boolean hasCursor, boolean hasKey) {
        if (!source.contains(m.syncMode()) || !destination.contains(m.destinationSyncMode())) {
            return false;
        }
        if (m.syncMode() == SyncMode.INCREMENTAL && !hasCursor) {
            return false;
        }
        boolean dedup = m.destinationSyncMode() == DestinationSyncMode.APPEND_DEDUP
                || m.destinationSyncMode() == DestinationSyncMode.OVERWRITE_DEDUP;
        return !dedup || hasKey;
    }
}
