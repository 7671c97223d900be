package dev.syncline.connectors.spi;

/** What a connector is: a source, or a destination of one of the two kinds the console distinguishes. */
public enum ConnectorKind {
    SOURCE("source"),
    /** Databases, warehouses, lakes: Syncline creates and evolves the tables. */
    DESTINATION_ELT("elt"),
    /** Strict-schema objects (a CRM object, an application's table): the user maps fields. */
    DESTINATION_ACTIVATION("activation");

    private final String wireName;

    ConnectorKind(String wireName) {
        this.wireName = wireName;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isDestination() {
        return this != SOURCE;
    }
}
