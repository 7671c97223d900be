package dev.syncline.connectors.sql;

import dev.syncline.connectors.spi.FieldType;
import java.util.List;

/**
 * What differs between the SQL databases {@link SqlTableWriter} writes to: types, how staging tables are made and
 * named, and how a dedup table's key is declared. Everything else (the tables' shape, merge, swap, cleanup) is the
 * writer's, the same for all.
 */
public interface SqlDialect {
    /** The column type of a Syncline type. */
    String columnType(FieldType type);

    /** The type of {@code _syncline_raw_id}. */
    String uuidType();

    /** What follows {@code _syncline_meta}'s type in a CREATE TABLE (a default, or nothing). */
    String metaDefault();

    /** The type of a staging table's {@code _syncline_seq}. */
    String sequenceType();

    /** The kind of a staging table, with a trailing space ({@code "UNLOGGED "}, {@code "TEMP "}). */
    String stagingKind();

    /** How statements name a staging table. */
    String stagingTable(String schema, String name);

    /** Longest identifier: internal table names are cut and hashed beyond it. */
    int maxIdentifierLength();

    /** What a dedup table's CREATE TABLE ends with to declare its key (after the columns; "" for none). */
    String keyClause(List<String> primaryKey);

    /** Statements that give a dedup table its key after it is created. */
    List<String> keyStatements(String schema, String table, List<String> primaryKey);

    /** Statements that follow a replacement table's key when it is renamed from {@code from} to {@code to}. */
    List<String> renameKey(String schema, String from, String to);
}
