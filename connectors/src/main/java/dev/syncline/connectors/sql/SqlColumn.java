package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.FieldType;

/**
 * A column of a table Syncline writes: the source field it comes from, its identifier ({@link SqlIdentifiers}), its
 * type, and whether it may not be null (a dedup mode's primary key, or a field the source declares non-nullable).
 */
public record SqlColumn(String field, String name, FieldType type, boolean required) { }
