package dev.syncline.connectors.duckdb;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.connectors.sql.RowMeta;
import dev.syncline.connectors.sql.SqlColumn;
import dev.syncline.connectors.sql.SqlIdentifiers;
import dev.syncline.connectors.sql.SqlStates;
import dev.syncline.connectors.sql.SqlTable;
import dev.syncline.connectors.sql.SqlTableWriter;
import dev.syncline.connectors.sql.SqlTargets;
import dev.syncline.connectors.sql.SqlValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Writes one sync into DuckDB ({@link SqlTableWriter}'s tables and modes): rows go in batches of a prepared INSERT
 * that casts each value to its column.
 */
final class DuckDbWriter extends SqlTableWriter<DuckDbWriter.Target> {
    private static final int BATCH = 2_000;

    /** One stream's INSERT, with the rows bound to it and not executed yet. */
    static final class Target extends SqlTableWriter.TableBuffer {
        final PreparedStatement insert;
        long seq;

        Target(SqlTable table, Connection connection) throws SQLException {
            super(table, BATCH, Long.MAX_VALUE);
            StringBuilder cols = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (SqlColumn c : table.columns()) {
                cols.append(SqlIdentifiers.quote(c.name())).append(", ");
                values.append(c.type() == FieldType.BINARY ? "?, "
                        : "CAST(? AS " + DuckDbDialect.INSTANCE.columnType(c.type()) + "), ");
            }
            cols.append(quotedList(List.of(RAW_ID, EXTRACTED_AT, GENERATION_ID, META)));
            values.append("?, CAST(? AS TIMESTAMPTZ), ?, CAST(? AS JSON)");
            if (table.dedup()) {
                cols.append(", ").append(SqlIdentifiers.quote(SEQ));
                values.append(", ?");
            }
            this.insert = connection.prepareStatement("INSERT INTO " + table.load() + " (" + cols + ") VALUES (" + values + ")");
        }
    }

    private DuckDbWriter(Connection connection, WriteListener listener) {
        super(DuckDbDialect.INSTANCE, connection, listener);
    }

    static DuckDbWriter open(DuckDbDestination.Settings settings, Connection connection, ConfiguredCatalog catalog,
                             WriteListener listener) throws ConnectorException {
        DuckDbWriter w = new DuckDbWriter(connection, listener);
        try {
            SqlTargets.checkDistinct(catalog, settings.schema());
            w.prepare(catalog, settings.schema());
            return w;
        } catch (SQLException e) {
            w.close();
            throw w.failure(e);
        } catch (ConnectorException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    @Override
    protected Target buffer(SqlTable table) throws SQLException {
        return new Target(table, connection);
    }

    @Override
    protected boolean append(Target t, SourceMessage.RecordMessage record) throws ConnectorException {
        try {
            List<Rejection.Reason> refused = null;
            RowMeta changes = RowMeta.of(record);
            PreparedStatement insert = t.insert;
            int i = 1;
            for (SqlColumn c : t.table().columns()) {
                Object raw = record.data().get(c.field());
                SqlValues.Converted v = SqlValues.convert(raw, c.type());
                if (v.text() == null && c.required()) {
                    if (refused == null) {
                        refused = new ArrayList<>(2);
                    }
                    refused.add(refusal(c, v.error()));
                    continue;
                }
                if (v.error() != null) {
                    changes = RowMeta.typecastNulled(changes, c.field(), v.error());
                }
                if (c.type() == FieldType.BINARY) {
                    insert.setBytes(i++, raw == null || v.error() != null ? null
                            : raw instanceof byte[] b ? b : Base64.getDecoder().decode(raw.toString()));
                } else {
                    insert.setString(i++, v.text());
                }
            }
            if (refused != null) {
                insert.clearParameters();
                reject(new Rejection(record, refused));
                return false;
            }
            insert.setString(i++, UUID.randomUUID().toString());
            insert.setString(i++, (record.emittedAt() != null ? record.emittedAt() : Instant.now()).toString());
            insert.setLong(i++, t.stream().generationId());
            insert.setString(i++, RowMeta.json(changes));
            if (t.table().dedup()) {
                insert.setLong(i, ++t.seq);
            }
            insert.addBatch();
            return true;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    protected void load(Target t) throws ConnectorException {
        try {
            t.insert.executeBatch();
            t.take();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    protected ConnectorException failure(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ConnectorException(SqlStates.whileWriting(e), "DuckDB: " + m.lines().findFirst().orElse(m), e);
    }

    @Override
    public void close() {
        for (Target t : buffers()) {
            try {
                t.insert.close();
            } catch (SQLException ignored) {
                // the connection's close releases it
            }
        }
        super.close();
    }
}
