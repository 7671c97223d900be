package dev.syncline.connection.streams;

import static dev.syncline.connectors.spi.DestinationSyncMode.APPEND;
import static dev.syncline.connectors.spi.DestinationSyncMode.APPEND_DEDUP;
import static dev.syncline.connectors.spi.DestinationSyncMode.OVERWRITE;
import static dev.syncline.connectors.spi.DestinationSyncMode.OVERWRITE_DEDUP;
import static dev.syncline.connectors.spi.SyncMode.FULL_REFRESH;
import static dev.syncline.connectors.spi.SyncMode.INCREMENTAL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The resolution table: every combination of what the source offers and what the destination supports. */
class SyncModeResolverTest {
    static final Set<DestinationSyncMode> ALL = Set.of(DestinationSyncMode.values());

    static Stream stream(Set<SyncMode> modes, boolean cursor, boolean key) {
        return new Stream(null, "s", List.of(Field.of("id", FieldType.INTEGER), Field.of("updated_at", FieldType.TIMESTAMP_TZ)),
                modes, false, cursor ? List.of("updated_at") : List.of(), key ? List.of(List.of("id")) : List.of());
    }

    static Optional<SyncModeResolver.Modes> replicate(Stream s, Set<DestinationSyncMode> d) {
        return SyncModeResolver.resolve(SyncModePreset.REPLICATE_SOURCE, s, d);
    }

    static Optional<SyncModeResolver.Modes> history(Stream s, Set<DestinationSyncMode> d) {
        return SyncModeResolver.resolve(SyncModePreset.APPEND_HISTORY, s, d);
    }

    static Optional<SyncModeResolver.Modes> modes(SyncMode m, DestinationSyncMode d) {
        return Optional.of(new SyncModeResolver.Modes(m, d));
    }

    @Test
    void replicateSourcePrefersIncrementalDedup() {
        assertThat(replicate(stream(Set.of(FULL_REFRESH, INCREMENTAL), true, true), ALL)).isEqualTo(modes(INCREMENTAL, APPEND_DEDUP));
    }

    @Test
    void replicateSourceWithoutCursorFallsBackToOverwriteDedup() {
        assertThat(replicate(stream(Set.of(FULL_REFRESH, INCREMENTAL), false, true), ALL)).isEqualTo(modes(FULL_REFRESH, OVERWRITE_DEDUP));
    }

    @Test
    void replicateSourceWithoutKeyFallsBackToOverwrite() {
        assertThat(replicate(stream(Set.of(FULL_REFRESH, INCREMENTAL), true, false), ALL)).isEqualTo(modes(FULL_REFRESH, OVERWRITE));
    }

    @Test
    void replicateSourceOfAnIncrementalOnlySourceWithoutKeyAppends() {
        assertThat(replicate(stream(Set.of(INCREMENTAL), true, false), ALL)).isEqualTo(modes(INCREMENTAL, APPEND));
    }

    @Test
    void replicateSourceDropsWhatTheDestinationLacks() {
        Stream s = stream(Set.of(FULL_REFRESH, INCREMENTAL), true, true);
        assertThat(replicate(s, Set.of(OVERWRITE, APPEND))).isEqualTo(modes(FULL_REFRESH, OVERWRITE));
        assertThat(replicate(s, Set.of(APPEND))).isEqualTo(modes(INCREMENTAL, APPEND));
        assertThat(replicate(s, Set.of(OVERWRITE_DEDUP, APPEND))).isEqualTo(modes(FULL_REFRESH, OVERWRITE_DEDUP));
        assertThat(replicate(stream(Set.of(FULL_REFRESH), true, true), Set.of(APPEND))).isEmpty();
    }

    @Test
    void appendHistoryPrefersIncrementalAppendElseFullRefreshAppend() {
        assertThat(history(stream(Set.of(FULL_REFRESH, INCREMENTAL), true, true), ALL)).isEqualTo(modes(INCREMENTAL, APPEND));
        assertThat(history(stream(Set.of(FULL_REFRESH, INCREMENTAL), false, true), ALL)).isEqualTo(modes(FULL_REFRESH, APPEND));
        assertThat(history(stream(Set.of(FULL_REFRESH), true, true), ALL)).isEqualTo(modes(FULL_REFRESH, APPEND));
        assertThat(history(stream(Set.of(INCREMENTAL), false, false), ALL)).isEmpty();
        assertThat(history(stream(Set.of(FULL_REFRESH, INCREMENTAL), true, true), Set.of(OVERWRITE))).isEmpty();
    }

    @Test
    void everyCombinationResolvesToAnAllowedPairOrNothing() {
        List<Set<SyncMode>> sources = List.of(Set.of(FULL_REFRESH), Set.of(INCREMENTAL), Set.of(FULL_REFRESH, INCREMENTAL));
        List<Set<DestinationSyncMode>> destinations = List.of(Set.of(OVERWRITE), Set.of(APPEND), Set.of(APPEND_DEDUP),
                Set.of(OVERWRITE_DEDUP), Set.of(OVERWRITE, APPEND), ALL);
        for (Set<SyncMode> src : sources) {
            for (Set<DestinationSyncMode> dst : destinations) {
                for (boolean cursor : new boolean[] {true, false}) {
                    for (boolean key : new boolean[] {true, false}) {
                        for (SyncModePreset p : SyncModePreset.values()) {
                            SyncModeResolver.resolve(p, stream(src, cursor, key), dst).ifPresent(m -> assertThat(
                                    SyncModeResolver.allowed(m, src, dst, cursor, key)).as(p + " " + src + " " + dst).isTrue());
                        }
                    }
                }
            }
        }
    }
}
