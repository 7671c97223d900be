package dev.syncline.connectors.postgres;

import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes one sync into PostgreSQL. Rows are validated against the column types first (a refused row becomes
 * a {@link Rejection}, the others go on), buffered, and loaded with COPY. Overwrite loads into a staging
 * table that replaces the final table in one transaction at {@link #complete()}, so readers never see an
 * empty or half-loaded table.
 */
final class PostgresWriter implements RecordWriter {
    private static final int FLUSH_BYTES = 4 * 1024 * 1024;
    static final String RAW_ID = "_syncline_raw_id";
    static final String EXTRACTED_AT = "_syncline_extracted_at";
    static final String GENERATION_ID = "_syncline_generation_id";
    static final String META = "_syncline_meta";

    private final PostgresConfig config;
    private final Connection connection;
    private final CopyManager copy;
    private final WriteListener listener;
    private final Map<String, Target> targets = new HashMap<>();
    private boolean completed;

    /** Where one stream goes, and its rows not yet loaded. */
    private static final class Target {
        final ConfiguredStream stream;
        final String schema;
        final String finalTable;
        final String loadTable;
        final List<PgColumn> columns;
        final StringBuilder buffer = new StringBuilder();
        final List<SourceMessage.RecordMessage> buffered = new ArrayList<>();

        Target(ConfiguredStream stream, String schema, String finalTable, String loadTable, List<PgColumn> columns) {
            this.stream = stream;
            this.schema = schema;
            this.finalTable = finalTable;
            this.loadTable = loadTable;
            this.columns = columns;
        }

        boolean staged() {
            return !loadTable.equals(finalTable);
        }

        String copySql() {
            StringBuilder sql = new StringBuilder("COPY ").append(PgIdentifiers.qualified(schema, loadTable)).append(" (");
            for (PgColumn c : columns) {
                sql.append(PgIdentifiers.quote(c.name())).append(", ");
            }
            return sql.append(PgIdentifiers.quote(RAW_ID)).append(", ").append(PgIdentifiers.quote(EXTRACTED_AT))
                    .append(") FROM STDIN").toString();
        }
    }

    private PostgresWriter(PostgresConfig config, Connection connection, WriteListener listener) throws SQLException {
        this.config = config;
        this.connection = connection;
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
        this.listener = listener;
    }

    static PostgresWriter open(PostgresConfig config, ConfiguredCatalog catalog, WriteListener listener)
            throws ConnectorException {
        Connection c = config.connect();
        try {
            PostgresWriter w = new PostgresWriter(config, c, listener);
            for (ConfiguredStream s : catalog.streams()) {
                w.prepare(s);
            }
            return w;
        } catch (SQLException e) {
            close(c);
            throw new ConnectorException(ConnectorException.Type.SYSTEM, config.describe(e));
        } catch (ConnectorException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    private void prepare(ConfiguredStream s) throws SQLException, ConnectorException {
        String schema = PgIdentifiers.normalize(s.destinationNamespace() != null ? s.destinationNamespace() : config.schema());
        String table = PgIdentifiers.normalize(s.destinationName() != null ? s.destinationName() : s.stream().name());
        if (table.startsWith("_syncline")) {
            throw new ConnectorException(ConnectorException.Type.CONFIG, "table name " + table + " is reserved");
        }
        Set<String> pk = new HashSet<>();
        s.primaryKey().forEach(path -> pk.add(path.getFirst()));
        Map<String, PgColumn> columns = new LinkedHashMap<>();
        for (Field f : s.fields()) {
            PgColumn col = new PgColumn(f.name(), PgIdentifiers.normalize(f.name()), f.type(),
                    pk.contains(f.name()) || !f.nullable());
            if (columns.putIfAbsent(col.name(), col) != null) {
                throw new ConnectorException(ConnectorException.Type.CONFIG, "fields of stream " + s.stream().name()
                        + " collide on column " + col.name() + " once normalised");
            }
        }
        List<PgColumn> cols = List.copyOf(columns.values());
        boolean overwrite = s.destinationSyncMode() == DestinationSyncMode.OVERWRITE;
        String load = overwrite ? stagingName(table) : table;
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + PgIdentifiers.quote(schema));
            if (overwrite) {
                st.execute("DROP TABLE IF EXISTS " + PgIdentifiers.qualified(schema, load));
                st.execute(createTable(schema, load, cols, false));
            } else {
                st.execute(createTable(schema, table, cols, true));
                for (PgColumn col : cols) {
                    // new fields become new columns; removed fields keep their column (nulls from now on)
                    st.execute("ALTER TABLE " + PgIdentifiers.qualified(schema, table) + " ADD COLUMN IF NOT EXISTS "
                            + PgIdentifiers.quote(col.name()) + " " + col.sqlType());
                }
            }
        }
        targets.put(key(s.stream().namespace(), s.stream().name()), new Target(s, schema, table, load, cols));
    }

    static String stagingName(String table) {
        String name = "_syncline_tmp_" + table;
        return name.length() > PgIdentifiers.MAX_LENGTH ? name.substring(0, PgIdentifiers.MAX_LENGTH) : name;
    }

    private static String createTable(String schema, String table, List<PgColumn> cols, boolean ifNotExists) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(ifNotExists ? "IF NOT EXISTS " : "")
                .append(PgIdentifiers.qualified(schema, table)).append(" (");
        for (PgColumn c : cols) {
            sql.append(PgIdentifiers.quote(c.name())).append(' ').append(c.sqlType())
                    .append(c.primaryKey() ? " NOT NULL" : "").append(", ");
        }
        return sql.append(PgIdentifiers.quote(RAW_ID)).append(" uuid NOT NULL, ")
                .append(PgIdentifiers.quote(EXTRACTED_AT)).append(" timestamptz NOT NULL, ")
                .append(PgIdentifiers.quote(GENERATION_ID)).append(" bigint, ")
                .append(PgIdentifiers.quote(META)).append(" jsonb)").toString();
    }

    private static String key(String namespace, String stream) {
        return namespace == null ? stream : namespace + "." + stream;
    }

    @Override
    public void write(SourceMessage.RecordMessage record) throws ConnectorException {
        Target t = targets.get(key(record.namespace(), record.stream()));
        if (t == null) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, "record of unconfigured stream " + record.stream());
        }
        StringBuilder row = new StringBuilder(128);
        List<Rejection.Reason> reasons = null;
        for (PgColumn c : t.columns) {
            PgValues.Converted v = PgValues.convert(record.data().get(c.field()), c.type());
            if (v.error() != null || (v.text() == null && c.primaryKey())) {
                if (reasons == null) {
                    reasons = new ArrayList<>(2);
                }
                reasons.add(v.error() != null
                        ? new Rejection.Reason(c.field(), Rejection.Code.TYPE_MISMATCH, c.field() + ": " + v.error())
                        : new Rejection.Reason(c.field(), Rejection.Code.MISSING_REQUIRED,
                                c.field() + " is required (NOT NULL column " + c.name() + ") but is null"));
                continue;
            }
            PgValues.appendCopyText(row, v.text());
            row.append('\t');
        }
        if (reasons != null) {
            listener.rejected(new Rejection(record, reasons));
            return;
        }
        row.append(UUID.randomUUID()).append('\t')
                .append((record.emittedAt() != null ? record.emittedAt() : Instant.now()).toString()).append('\n');
        t.buffer.append(row);
        t.buffered.add(record);
        if (t.buffer.length() >= FLUSH_BYTES) {
            flush(t);
        }
    }

    private void flush(Target t) throws ConnectorException {
        if (t.buffered.isEmpty()) {
            return;
        }
        try {
            copy.copyIn(t.copySql(), new StringReader(t.buffer.toString()));
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
            }
            loadRowByRow(t);
        } catch (java.io.IOException e) {
            throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection to "
                    + config.host() + ":" + config.port() + " while loading " + t.finalTable, e);
        }
        t.buffer.setLength(0);
        t.buffered.clear();
    }

    /** The database refused a batch the validation let through: find the refused rows, load the others. */
    private void loadRowByRow(Target t) throws ConnectorException {
        String[] lines = t.buffer.toString().split("\n", -1);
        for (int i = 0; i < t.buffered.size(); i++) {
            try {
                copy.copyIn(t.copySql(), new StringReader(lines[i] + "\n"));
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (state.startsWith("08")) {
                    throw new ConnectorException(ConnectorException.Type.TRANSIENT, config.describe(e), e);
                }
                Rejection.Code code = state.startsWith("23") ? Rejection.Code.CONSTRAINT_VIOLATION
                        : state.startsWith("22") ? Rejection.Code.TYPE_MISMATCH : Rejection.Code.DESTINATION_ERROR;
                listener.rejected(new Rejection(t.buffered.get(i),
                        List.of(new Rejection.Reason(null, code, PostgresConfig.firstLine(e)))));
            } catch (java.io.IOException e) {
                throw new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the connection while loading "
                        + t.finalTable, e);
            }
        }
    }

    @Override
    public void checkpoint(SourceMessage.StateMessage state) throws ConnectorException {
        for (Target t : targets.values()) {
            flush(t);
        }
        listener.checkpointed(state);
    }

    @Override
    public void complete() throws ConnectorException {
        for (Target t : targets.values()) {
            flush(t);
        }
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                for (Target t : targets.values()) {
                    if (t.staged()) {
                        st.execute("DROP TABLE IF EXISTS " + PgIdentifiers.qualified(t.schema, t.finalTable));
                        st.execute("ALTER TABLE " + PgIdentifiers.qualified(t.schema, t.loadTable) + " RENAME TO "
                                + PgIdentifiers.quote(t.finalTable));
                    }
                }
            }
            connection.commit();
            completed = true;
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, config.describe(e), e);
        }
    }

    @Override
    public void close() {
        if (!completed) {
            try {
                connection.setAutoCommit(true);
                try (Statement st = connection.createStatement()) {
                    for (Target t : targets.values()) {
                        if (t.staged()) {
                            st.execute("DROP TABLE IF EXISTS " + PgIdentifiers.qualified(t.schema, t.loadTable));
                        }
                    }
                }
            } catch (SQLException ignored) {
                // the staging tables are dropped again by the next sync's prepare()
            }
        }
        close(connection);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
