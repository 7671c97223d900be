package dev.syncline.connectors.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Rejection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlStatesTest {

    @Test
    void connectionLossShutdownsConflictsAndFullServersAreTransient() {
        for (String state : new String[] {"08001", "08006", "08P01", "57P01", "57P03", "57014", "40001", "40P01", "53300"}) {
            assertThat(SqlStates.isTransient(state)).as(state).isTrue();
            assertThat(SqlStates.type(new SQLException("x", state))).as(state).isEqualTo(ConnectorException.Type.TRANSIENT);
        }
    }

    @Test
    void refusalsOfTheRequestItselfAreNotTransient() {
        for (String state : new String[] {"23505", "22P02", "42P01", "42501", "53100", "XX000", "", null}) {
            assertThat(SqlStates.isTransient(state)).as(String.valueOf(state)).isFalse();
        }
        assertThat(SqlStates.type(new SQLException("x", "42P01"))).isEqualTo(ConnectorException.Type.SYSTEM);
        assertThat(SqlStates.type(new SQLException("no state"))).isEqualTo(ConnectorException.Type.SYSTEM);
    }

    @Test
    void aRefusedLoginOrAMissingDatabaseIsTheConfigsFault() {
        assertThat(SqlStates.type(new SQLException("x", "28P01"))).isEqualTo(ConnectorException.Type.CONFIG);
        assertThat(SqlStates.type(new SQLException("x", "28000"))).isEqualTo(ConnectorException.Type.CONFIG);
        assertThat(SqlStates.type(new SQLException("x", "3D000"))).isEqualTo(ConnectorException.Type.CONFIG);
    }

    @Test
    void aRefusedRowGetsTheCodeOfItsSqlState() {
        assertThat(SqlStates.rejection("23502")).isEqualTo(Rejection.Code.MISSING_REQUIRED);
        assertThat(SqlStates.rejection("22001")).isEqualTo(Rejection.Code.TOO_LONG);
        assertThat(SqlStates.rejection("22P02")).isEqualTo(Rejection.Code.TYPE_MISMATCH);
        assertThat(SqlStates.rejection("22007")).isEqualTo(Rejection.Code.TYPE_MISMATCH);
        assertThat(SqlStates.rejection("22003")).isEqualTo(Rejection.Code.TYPE_MISMATCH);
        assertThat(SqlStates.rejection("23505")).isEqualTo(Rejection.Code.CONSTRAINT_VIOLATION);
        assertThat(SqlStates.rejection("23514")).isEqualTo(Rejection.Code.CONSTRAINT_VIOLATION);
        assertThat(SqlStates.rejection("42P01")).isEqualTo(Rejection.Code.DESTINATION_ERROR);
        assertThat(SqlStates.rejection(null)).isEqualTo(Rejection.Code.DESTINATION_ERROR);
    }

    @Test
    void writingKeepsTheWritersRulesALostConnectionOnlyStopsTheRowByRowFallbackAndNothingMidSyncIsTheUsersMistake() {
        java.sql.SQLException lost = new java.sql.SQLException("gone", "08006");
        java.sql.SQLException timeout = new java.sql.SQLException("canceling statement due to statement timeout", "57014");
        java.sql.SQLException login = new java.sql.SQLException("password authentication failed", "28P01");
        assertThat(SqlStates.isConnectionLost(lost)).isTrue();
        assertThat(SqlStates.isConnectionLost(timeout)).isFalse(); // a COPY batch that timed out is loaded row by row
        assertThat(SqlStates.whileWriting(timeout)).isEqualTo(dev.syncline.connectors.spi.ConnectorException.Type.TRANSIENT);
        assertThat(SqlStates.whileWriting(login)).isEqualTo(dev.syncline.connectors.spi.ConnectorException.Type.SYSTEM);
        assertThat(SqlStates.type(login)).isEqualTo(dev.syncline.connectors.spi.ConnectorException.Type.CONFIG); // at connect
    }
}
