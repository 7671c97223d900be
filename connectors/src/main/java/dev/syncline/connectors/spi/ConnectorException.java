package dev.syncline.connectors.spi;

/** A connector failure with a message meant for the user; {@code type} says whether a retry can help. */
public class ConnectorException extends Exception {
    public enum Type { CONFIG, SYSTEM, TRANSIENT }

    private final Type type;

    public ConnectorException(Type type, String message) {
        super(message);
        this.type = type;
    }

    public ConnectorException(Type type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public Type type() {
        return type;
    }
}
