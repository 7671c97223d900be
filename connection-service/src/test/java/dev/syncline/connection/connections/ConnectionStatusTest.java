package dev.syncline.connection.connections;

import static dev.syncline.connection.connections.ConnectionStatus.ACTIVE;
import static dev.syncline.connection.connections.ConnectionStatus.DEPRECATED;
import static dev.syncline.connection.connections.ConnectionStatus.INACTIVE;
import static dev.syncline.connection.connections.ConnectionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.kit.problem.ProblemException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The transition table of a connection's status, and who may make which move. */
class ConnectionStatusTest {
    static final UUID ID = UUID.fromString("6f1c3d0e-8a4b-4c2e-9f5a-0d7e1b2c3a4f");

    @Test
    void transitionTableIsWhatUsersAndSynclineMayDo() {
        Map<ConnectionStatus, Set<ConnectionStatus>> table = Map.of(
                ACTIVE, Set.of(INACTIVE, PAUSED, DEPRECATED),
                INACTIVE, Set.of(ACTIVE, DEPRECATED),
                PAUSED, Set.of(ACTIVE, INACTIVE, DEPRECATED),
                DEPRECATED, Set.of());
        for (ConnectionStatus from : ConnectionStatus.values()) {
            assertThat(from.next()).as("from " + from).isEqualTo(table.get(from));
        }
    }

    @Test
    void refusesAMoveTheTableDoesNotHaveWithAConflict() {
        assertThatThrownBy(() -> DEPRECATED.checkMove(ACTIVE, ConnectionStatus.Mover.USER, ID))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(409))
                .hasMessageContaining("connection " + ID + " is deprecated and cannot become active");
        assertThatThrownBy(() -> INACTIVE.checkMove(PAUSED, ConnectionStatus.Mover.SYSTEM, ID))
                .hasMessageContaining("is inactive and cannot become paused");
    }

    @Test
    void onlySynclinePausesAndSynclineOnlyPauses() {
        assertThatThrownBy(() -> ACTIVE.checkMove(PAUSED, ConnectionStatus.Mover.USER, ID))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(409))
                .hasMessageContaining("only Syncline pauses a connection");
        assertThatThrownBy(() -> PAUSED.checkMove(ACTIVE, ConnectionStatus.Mover.SYSTEM, ID))
                .hasMessageContaining("Syncline only pauses a connection");
        ACTIVE.checkMove(PAUSED, ConnectionStatus.Mover.SYSTEM, ID);
        PAUSED.checkMove(INACTIVE, ConnectionStatus.Mover.USER, ID);
    }

    @Test
    void onlyAnActiveConnectionSyncs() {
        assertThat(ACTIVE.syncs()).isTrue();
        assertThat(Set.of(INACTIVE, PAUSED, DEPRECATED)).noneMatch(ConnectionStatus::syncs);
    }

    @Test
    void travelsByTheLowerCaseNamesTheDatabaseApiAndEventsAlwaysCarried() {
        assertThat(ConnectionStatus.values()).extracting(ConnectionStatus::wireName)
                .containsExactly("active", "inactive", "paused", "deprecated");
        assertThat(ConnectionStatus.fromWire("paused")).contains(PAUSED);
        assertThat(ConnectionStatus.fromWire("PAUSED")).isEmpty();
        assertThat(ConnectionStatus.fromWire("archived")).isEmpty();
        var column = new ConnectionStatus.Column();
        assertThat(column.convertToDatabaseColumn(INACTIVE)).isEqualTo("inactive");
        assertThat(column.convertToEntityAttribute("deprecated")).isEqualTo(DEPRECATED);
        assertThatThrownBy(() -> column.convertToEntityAttribute("archived")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void timelineSaysWhatTheMoveWas() {
        assertThat(ACTIVE.timelineSummary("enabled")).isEqualTo("Enabled");
        assertThat(INACTIVE.timelineSummary("disabled")).isEqualTo("Disabled");
        assertThat(PAUSED.timelineSummary("3 syncs failed in a row")).isEqualTo("Paused by Syncline: 3 syncs failed in a row");
        assertThat(DEPRECATED.timelineSummary("deleted")).isEqualTo("Deleted");
    }
}
