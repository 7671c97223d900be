package dev.syncline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's roles and connection statuses, as the services name them (no server). */
class ConsoleClosedSetsTest {
    @Test
    void rolesAreTheServicesRolesAndTheAnnotationsNameThem() {
        assertThat(ConsoleRole.values()).extracting(ConsoleRole::wireName).containsExactly("admin", "editor", "viewer", "service");
        assertThat(ConsoleRoles.ADMIN).isEqualTo(ConsoleRole.ADMIN.wireName());
        assertThat(ConsoleRoles.EDITOR).isEqualTo(ConsoleRole.EDITOR.wireName());
        assertThat(ConsoleRole.values()).filteredOn(ConsoleRole::mayChange)
                .as("the roles @RolesAllowed({ADMIN, EDITOR}) lets change things").containsExactly(ConsoleRole.ADMIN, ConsoleRole.EDITOR);
        assertThat(ConsoleRole.fromWire("viewer")).contains(ConsoleRole.VIEWER);
        assertThat(ConsoleRole.fromWire("Viewer")).isEmpty();
        assertThat(new ConsoleSessions.Session("syk_x", "k", "n", "syk_x", "owner", null).access()).isEmpty();
    }

    @Test
    void connectionStatusesAreConnectionServicesAndOnlyActiveSyncs() {
        assertThat(ConnectionStatus.values()).extracting(ConnectionStatus::wireName)
                .containsExactly("active", "inactive", "paused", "deprecated");
        assertThat(ConnectionStatus.fromWire("paused")).contains(ConnectionStatus.PAUSED);
        assertThat(ConnectionStatus.fromWire(null)).isEmpty();
        assertThat(ConnectionStatus.fromWire("everything")).isEmpty();
        for (String status : List.of("inactive", "paused", "deprecated", "")) {
            assertThat(view(status).active()).as(status).isFalse();
        }
        assertThat(view("active").active()).isTrue();
    }

    static ConnectionPage.View view(String status) {
        return new ConnectionPage.View("id", "Shop → Warehouse", status, "s", "Shop", "Warehouse", "manual", List.of());
    }
}
