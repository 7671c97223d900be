package dev.syncline.connection.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.connection.streams.SyncModePreset;
import dev.syncline.kit.problem.ProblemException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The connection aggregate changes its own status and settings (no database: the entity alone). */
class ConnectionTest {
    static ConnectionDtos.CreateRequest create(String namespaceDefinition, String policy) {
        return new ConnectionDtos.CreateRequest(null, UUID.randomUUID().toString(), UUID.randomUUID().toString(), null,
                namespaceDefinition, null, null, null, null, null, policy, null, null, null, null);
    }

    static Connection connection() {
        return Connection.create("Shop → Warehouse", UUID.randomUUID(), UUID.randomUUID(), create(null, null));
    }

    static ConnectionDtos.UpdateRequest update(String name, String namespaceFormat, String policy,
                                               List<dev.syncline.connection.streams.StreamRequest> streams) {
        return new ConnectionDtos.UpdateRequest(null, name, null, null, namespaceFormat, null, null, streams, null, policy,
                null, null, null, null);
    }

    @Test
    void aNewConnectionIsActiveWithTheDefaults() {
        Connection c = connection();
        assertThat(c.status).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(c.namespaceDefinition).isEqualTo(NamespaceDefinition.DESTINATION);
        assertThat(c.schemaChangePolicy).isEqualTo(SchemaChangePolicy.PROPAGATE_COLUMNS);
        assertThat(c.preset()).isEqualTo(SyncModePreset.REPLICATE_SOURCE);
        assertThat(c.prefix).isEmpty();
        assertThat(c.retryRejectedRecords).isTrue();
        assertThat(c.backfillNewColumns).isFalse();
        assertThat(c.scheduleValue().scheduleType()).isEqualTo("manual");
        assertThat(c.version).isEqualTo(1);
        Connection custom = Connection.create("n", UUID.randomUUID(), UUID.randomUUID(), create("source", "disable"));
        assertThat(custom.namespaceDefinition).isEqualTo(NamespaceDefinition.SOURCE);
        assertThat(custom.schemaChangePolicy).isEqualTo(SchemaChangePolicy.DISABLE);
    }

    @Test
    void eachMoveRaisesItsEventWithTheWireNames() {
        Connection c = connection();
        var paused = c.pause("SCHEMA_CHANGE_BREAKING: stream users: cursor field updated_at was removed");
        assertThat(paused.getFromState()).isEqualTo("active");
        assertThat(paused.getToState()).isEqualTo("paused");
        assertThat(paused.getActor()).isEqualTo("system");
        assertThat(paused.getReason()).startsWith("SCHEMA_CHANGE_BREAKING");
        assertThat(paused.getConnectionId()).isEqualTo(c.id.toString());
        assertThat(c.status).isEqualTo(ConnectionStatus.PAUSED);
        assertThat(c.version).isEqualTo(2);

        var enabled = c.enable();
        assertThat(List.of(enabled.getFromState(), enabled.getToState(), enabled.getActor(), enabled.getReason()))
                .containsExactly("paused", "active", "user", "enabled");
        var disabled = c.disable();
        assertThat(List.of(disabled.getToState(), disabled.getActor(), disabled.getReason()))
                .containsExactly("inactive", "user", "disabled");
        var deleted = c.deprecate();
        assertThat(List.of(deleted.getFromState(), deleted.getToState(), deleted.getReason()))
                .containsExactly("inactive", "deprecated", "deleted");
        assertThat(c.version).isEqualTo(5);
    }

    @Test
    void aMoveToWhereItIsChangesNothing() {
        Connection c = connection();
        assertThat(c.enable()).isNull();
        assertThat(c.version).isEqualTo(1);
        c.disable();
        assertThat(c.disable()).isNull();
    }

    @Test
    void aDisabledConnectionIsNotPausedAndADeletedOneNeverMovesAgain() {
        Connection c = connection();
        c.disable();
        assertThatThrownBy(() -> c.pause("3 syncs failed in a row")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("is inactive and cannot become paused");
        c.deprecate();
        assertThatThrownBy(c::enable).hasMessageContaining("is deprecated and cannot become active");
        assertThatThrownBy(c::checkNotDeleted).hasMessageContaining("is deleted");
        assertThat(c.status).isEqualTo(ConnectionStatus.DEPRECATED);
    }

    @Test
    void onlyAnActiveConnectionWithStreamsMaySync() {
        Connection c = connection();
        assertThatThrownBy(c::checkSyncAllowed).hasMessageContaining("is not discovered yet");
        c.setStreams(List.of());
        c.checkSyncAllowed();
        c.disable();
        assertThatThrownBy(c::checkSyncAllowed).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.status()).isEqualTo(409)).hasMessageContaining("is inactive: enable it before syncing");
    }

    @Test
    void anUpdateChangesWhatItHoldsAndNamesItInOrder() {
        Connection c = connection();
        List<String> changed = c.change(update(" Users ", "raw_${SOURCE_NAMESPACE}", "propagate_fully",
                List.of()));
        assertThat(changed).containsExactly("name", "namespace", "schemaChangePolicy", "streams");
        assertThat(c.name).isEqualTo("Users");
        assertThat(c.namespaceFormat).isEqualTo("raw_${SOURCE_NAMESPACE}");
        assertThat(c.namespaceDefinition).as("a format alone keeps the definition").isEqualTo(NamespaceDefinition.DESTINATION);
        assertThat(c.schemaChangePolicy).isEqualTo(SchemaChangePolicy.PROPAGATE_FULLY);
        assertThat(c.requests()).isEmpty();
        assertThat(c.change(update(null, null, null, null))).isEmpty();
    }
}
