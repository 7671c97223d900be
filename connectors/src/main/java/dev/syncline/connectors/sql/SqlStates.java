package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Rejection;
import java.sql.SQLException;

/**
 * What a SQLSTATE means to Syncline, decided in one place for the connectors and the services (service-kit's
 * {@code TransientFailures} asks {@link #isTransient(String)} too): whether a retry can help, whether the user's
 * config is wrong, and why a row was refused.
 */
public final class SqlStates {
    private SqlStates() { }

    /**
     * Whether a retry can help: the connection failed or closed (class 08), the server is shutting down, restarting or
     * cancelled the statement (class 57), a serialization failure or deadlock lost to another transaction (40001,
     * 40P01), or the server has no connection slot free (53300).
     */
    public static boolean isTransient(String state) {
        if (state == null) {
            return false;
        }
        return state.startsWith("08") || state.startsWith("57") || state.equals("40001") || state.equals("40P01")
                || state.equals("53300");
    }

    public static boolean isTransient(SQLException e) {
        return isTransient(e.getSQLState());
    }

    /**
     * Whether the connection itself was lost (class 08): the one refusal of a whole COPY batch that loading its rows
     * one by one cannot get past. Anything else (a statement timeout, a deadlock, a refused row) is worth trying row by
     * row, where each refused row becomes a rejected record.
     */
    public static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /**
     * For Syncline's own databases (service-kit's {@code TransientFailures}): as {@link #isTransient(String)}, but of
     * class 57 only the server's own unavailability (57P: shutting down, not accepting connections yet). The platform's
     * databases set no statement timeout, so a cancelled statement there is not something to wait out.
     */
    public static boolean isTransientOnPlatform(String state) {
        return isTransient(state) && (!state.startsWith("57") || state.startsWith("57P"));
    }

    /**
     * The type of a failure while writing, after the connection was opened: transient as {@link #isTransient}, else a
     * system error (both are retried). Never a config error: the connection was accepted, so a refusal now (a login or
     * a database gone mid-sync) is retried as the writers always did, not taken for the user's mistake.
     */
    public static ConnectorException.Type whileWriting(SQLException e) {
        return isTransient(e) ? ConnectorException.Type.TRANSIENT : ConnectorException.Type.SYSTEM;
    }

    /** Whether the config is what is wrong: the login refused (class 28) or the database does not exist (3D000). */
    public static boolean isConfig(String state) {
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    /** A failure's {@link ConnectorException.Type}: transient, the config's fault, or else the system's. */
    public static ConnectorException.Type type(SQLException e) {
        String state = e.getSQLState();
        return isTransient(state) ? ConnectorException.Type.TRANSIENT
                : isConfig(state) ? ConnectorException.Type.CONFIG : ConnectorException.Type.SYSTEM;
    }

    /** Why the database refused a row, from the SQLSTATE of its refusal. */
    public static Rejection.Code rejection(String state) {
        if (state == null) {
            return Rejection.Code.DESTINATION_ERROR;
        }
        return switch (state) {
            case "23502" -> Rejection.Code.MISSING_REQUIRED; // not_null_violation
            case "22001" -> Rejection.Code.TOO_LONG; // string_data_right_truncation
            default -> state.startsWith("22") ? Rejection.Code.TYPE_MISMATCH // data exceptions: bad format, out of range
                    : state.startsWith("23") ? Rejection.Code.CONSTRAINT_VIOLATION : Rejection.Code.DESTINATION_ERROR;
        };
    }
}
