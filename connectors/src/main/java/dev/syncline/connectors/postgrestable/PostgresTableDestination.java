package dev.syncline.connectors.postgrestable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.postgres.PostgresConfig;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.ActivationDestination;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfigSchema;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorDefinition;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.ConnectorKind;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.InsertionMethod;
import dev.syncline.connectors.spi.InsertionMethodSpec;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.WriteListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data activation into existing PostgreSQL tables: each table of the configured schema is an object whose NOT NULL
 * columns without a default are required; insert always, update and upsert matched by the primary key or any unique
 * index, soft delete when the table has the configured column.
 */
public final class PostgresTableDestination implements ActivationDestination {
    public static final String ID = "postgres-table";
    private static final ObjectNode SPEC = ConfigSchema.of(PostgresTableSettings.class);

    private final ConnectorReach reach;

    /** {@code reach}: never Syncline's own databases or addresses. */
    public PostgresTableDestination(ConnectorReach reach) {
        this.reach = reach;
    }

    @Override
    public List<SettingRefused> refusals(JsonNode config) {
        return PostgresConfig.refusals(config, reach);
    }

    @Override
    public ConnectorDefinition definition() {
        return new ConnectorDefinition(ID, "Postgres table (data activation)", ConnectorKind.DESTINATION_ACTIVATION, SPEC.deepCopy());
    }

    /** A dry run's lookup: the rows whose matching key a record would match, read in batches (nothing written). */
    @Override
    public dev.syncline.connectors.spi.KeyLookup keyLookup(JsonNode config, dev.syncline.connectors.spi.ConfiguredStream stream)
            throws ConnectorException {
        PostgresTableSettings settings = ConfigSchema.read(config, PostgresTableSettings.class);
        return PostgresTableKeys.open(settings.config(reach), stream);
    }

    @Override
    public CheckResult check(JsonNode config) {
        try {
            PostgresConfig cfg = ConfigSchema.read(config, PostgresTableSettings.class).config(reach);
            try (Connection c = cfg.connect();
                 PreparedStatement st = c.prepareStatement("select 1 from pg_namespace where nspname = ?")) {
                st.setString(1, cfg.schema());
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? CheckResult.ok() : CheckResult.failed("schema " + cfg.schema() + " does not exist");
                }
            } catch (SQLException e) {
                return CheckResult.failed(cfg.describe(e));
            }
        } catch (ConnectorException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discoverObjects(JsonNode config) throws ConnectorException {
        PostgresTableSettings settings = ConfigSchema.read(config, PostgresTableSettings.class);
        PostgresConfig cfg = settings.config(reach);
        try (Connection c = cfg.connect()) {
            return discover(c, cfg.schema(), settings.softDelete());
        } catch (SQLException e) {
            throw new ConnectorException(ConnectorException.Type.SYSTEM, cfg.describe(e), e);
        }
    }

    static Catalog discover(Connection c, String schema, String softDelete) throws SQLException {
        Map<String, List<Field>> fields = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("""
                select c.relname, a.attname, a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '',
                       coalesce(bt.typname, t.typname), coalesce(bt.typcategory, t.typcategory)::text,
                       coalesce(bt.typtype, t.typtype)::text, a.atttypmod
                from pg_class c
                join pg_namespace n on n.oid = c.relnamespace
                join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                join pg_type t on t.oid = a.atttypid
                left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
                where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition
                order by c.relname, a.attnum""")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String typname = rs.getString(4);
                    FieldType type = dev.syncline.connectors.postgres.PgTypes.of(typname, rs.getString(5), rs.getString(6));
                    int typmod = rs.getInt(7);
                    Integer maxLength = (typname.equals("varchar") || typname.equals("bpchar")) && typmod > 4 ? typmod - 4 : null;
                    String format = switch (type) {
                        case DATE -> "date";
                        case TIMESTAMP, TIMESTAMP_TZ -> "date-time";
                        default -> rs.getString(2).toLowerCase().contains("email") && type == FieldType.STRING ? "email" : null;
                    };
                    fields.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Field(rs.getString(2), type, !rs.getBoolean(3), List.of(), format, maxLength));
                }
            }
        }
        Map<String, List<List<String>>> keys = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("""
                select c.relname, array_agg(a.attname::text order by k.ord)
                from pg_index i
                join pg_class c on c.oid = i.indrelid
                join pg_namespace n on n.oid = c.relnamespace
                join lateral unnest(i.indkey) with ordinality k(attnum, ord) on true
                join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                where n.nspname = ? and i.indisunique and i.indpred is null and i.indexprs is null
                group by c.relname, i.indexrelid, i.indisprimary
                order by c.relname, i.indisprimary desc, i.indexrelid""")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        List<Stream> objects = new ArrayList<>();
        fields.forEach((table, fs) -> {
            List<List<String>> matching = keys.getOrDefault(table, List.of());
            List<InsertionMethodSpec> methods = new ArrayList<>();
            methods.add(new InsertionMethodSpec(InsertionMethod.INSERT, List.of()));
            if (!matching.isEmpty()) {
                methods.add(new InsertionMethodSpec(InsertionMethod.UPDATE, matching));
                methods.add(new InsertionMethodSpec(InsertionMethod.UPSERT, matching));
                boolean softDeletable = !softDelete.isBlank() && fs.stream().anyMatch(f -> f.name().equals(softDelete)
                        && (f.type() == FieldType.BOOLEAN || f.type() == FieldType.TIMESTAMP || f.type() == FieldType.TIMESTAMP_TZ));
                if (softDeletable) {
                    methods.add(new InsertionMethodSpec(InsertionMethod.SOFT_DELETE, matching));
                }
            }
            objects.add(new Stream(schema, table, fs, Set.of(), false, List.of(),
                    matching.isEmpty() ? List.of() : List.of(matching.getFirst()), methods));
        });
        return new Catalog(objects);
    }

    @Override
    public RecordWriter open(JsonNode config, ConfiguredCatalog catalog, WriteListener listener) throws ConnectorException {
        PostgresTableSettings settings = ConfigSchema.read(config, PostgresTableSettings.class);
        return PostgresTableWriter.open(settings.config(reach), settings.softDelete(), catalog, listener);
    }

}
