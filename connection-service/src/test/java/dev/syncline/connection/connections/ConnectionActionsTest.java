package dev.syncline.connection.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.kit.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which streams cancel, clear and refresh work on, and what they refuse. */
class ConnectionActionsTest {
    static ConnectionDtos.ConfiguredStream stream(String namespace, String name, SyncMode mode) {
        return new ConnectionDtos.ConfiguredStream(namespace, name, mode, DestinationSyncMode.APPEND, List.of(), List.of(),
                List.of(), null);
    }

    static final ConnectionDtos.ConfiguredStream USERS = stream("public", "users", SyncMode.INCREMENTAL);
    static final ConnectionDtos.ConfiguredStream ORDERS = stream("public", "orders", SyncMode.FULL_REFRESH);
    static final List<ConnectionDtos.ConfiguredStream> BOTH = List.of(USERS, ORDERS);

    @Test
    void noStreamNamedMeansEveryStream() {
        assertThat(ConnectionActions.targets(BOTH, null, ConnectionAction.CLEAR, null)).containsExactly(USERS, ORDERS);
        assertThat(ConnectionActions.targets(BOTH, List.of(), ConnectionAction.REFRESH, ConnectionAction.RefreshMode.REMOVE))
                .containsExactly(USERS, ORDERS);
    }

    @Test
    void namedStreamsMustBeTheConnectionsEachNamedInTheProblem() {
        assertThat(ConnectionActions.targets(BOTH, List.of(new ConnectionDtos.StreamRef("public", "orders")),
                ConnectionAction.CLEAR, null)).containsExactly(ORDERS);
        assertThatThrownBy(() -> ConnectionActions.targets(BOTH, List.of(new ConnectionDtos.StreamRef("public", "users"),
                new ConnectionDtos.StreamRef(null, "users"), new ConnectionDtos.StreamRef("public", "carts")),
                ConnectionAction.CLEAR, null))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.errors()).extracting(e -> e.field()).containsExactly("streams[1]", "streams[2]");
                });
    }

    @Test
    void refreshThatRetainsTakesIncrementalStreamsOnly() {
        assertThat(ConnectionActions.targets(BOTH, List.of(new ConnectionDtos.StreamRef("public", "users")),
                ConnectionAction.REFRESH, ConnectionAction.RefreshMode.RETAIN)).containsExactly(USERS);
        assertThatThrownBy(() -> ConnectionActions.targets(BOTH, null, ConnectionAction.REFRESH,
                ConnectionAction.RefreshMode.RETAIN))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.errors()).extracting(e -> e.field()).containsExactly("mode");
                })
                .hasMessageContaining("full refresh streams: [orders]");
    }

    @Test
    void onlyCancelTakesAConnectionWithoutStreams() {
        assertThat(ConnectionActions.targets(List.of(), null, ConnectionAction.CANCEL, null)).isEmpty();
        for (ConnectionAction a : List.of(ConnectionAction.CLEAR, ConnectionAction.REFRESH)) {
            assertThatThrownBy(() -> ConnectionActions.targets(List.of(), null, a, ConnectionAction.RefreshMode.REMOVE))
                    .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(409))
                    .hasMessageContaining("has no streams yet");
        }
    }

    @Test
    void actionsAndModesTravelByTheirWireNames() {
        assertThat(ConnectionAction.values()).extracting(ConnectionAction::wireName).containsExactly("cancel", "clear", "refresh");
        assertThat(ConnectionAction.RefreshMode.fromWire("retain")).isEqualTo(ConnectionAction.RefreshMode.RETAIN);
        assertThat(ConnectionAction.RefreshMode.REMOVE.wireName()).isEqualTo("remove");
    }
}
