package dev.syncline.connectors.spi;

/**
 * A {@link ConnectorException} thrown where the signature cannot declare it ({@link MessageReader#hasNext()});
 * the platform unwraps it and treats it like the checked one.
 */
public final class UncheckedConnectorException extends RuntimeException {
    public UncheckedConnectorException(ConnectorException cause) {
        super(cause.getMessage(), cause);
    }

    public ConnectorException connectorException() {
        return (ConnectorException) getCause();
    }
}
