package dev.syncline.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.JsonText;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.RowData;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The destination writes rows in binary COPY format into the tables it creates, and in text format into a table
 * whose column types differ from its own: both must store exactly the same values, take the same values as NULL
 * with the same notes, and refuse the same rows.
 */
class PostgresBinaryCopyTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static final List<Field> FIELDS = List.of(Field.required("id", FieldType.INTEGER), Field.of("s", FieldType.STRING),
            Field.of("b", FieldType.BOOLEAN), Field.of("n", FieldType.NUMBER), Field.of("d", FieldType.DATE),
            Field.of("t", FieldType.TIME), Field.of("ts", FieldType.TIMESTAMP), Field.of("tz", FieldType.TIMESTAMP_TZ),
            Field.of("o", FieldType.OBJECT), Field.of("a", FieldType.ARRAY), Field.of("bin", FieldType.BINARY));
    static final RowData.Layout LAYOUT = new RowData.Layout(FIELDS.stream().map(Field::name).toList());

    static Object[] row(Object... values) {
        return values;
    }

    /** Natural Java types, canonical text, text that is not a value of its column, and edge values. */
    static final List<Object[]> ROWS = List.of(
            row(1L, "Ada", true, new BigDecimal("12.50"), LocalDate.of(2024, 2, 29), LocalTime.of(12, 34, 56, 789_123_456),
                    LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1000), OffsetDateTime.of(2024, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(2)),
                    new JsonText("{\"theme\": \"dark\"}"), new JsonText("[1, 2]"), new byte[] {0, 1, (byte) 0xFF}),
            row(2L, "tab\there\nnewline \\ back\0slash é ✓ 😀", false, new BigDecimal("-0.0001"), LocalDate.of(1, 1, 1),
                    LocalTime.MIDNIGHT, LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                    Instant.parse("1970-01-01T00:00:00Z"), Map.of("k", List.of(1, "two")), List.of("x", Map.of()), "AAEC"),
            row(3L, 42L, "true", 7L, "2000-01-01", "23:59:59.999999", "2038-01-19T03:14:07",
                    "2024-06-01T12:00:00+05:30", "{\"a\": [true, null]}", "[]", null),
            row(4L, null, "maybe", "not a number", "2024-13-45", "25:00", "yesterday", "soon", "{not json", "[", "!!"),
            row(5L, "", null, new BigDecimal("123456789012345678901234567890.123456789"), LocalDate.of(9999, 12, 31),
                    null, null, null, null, null, new byte[0]),
            row(6L, "x", null, new BigDecimal("1E+5"), null, null, null, null, null, null, null),
            row(7L, "x", null, Double.NaN, null, null, null, null, null, null, null),
            row(8L, "x", null, new BigDecimal("0.00"), null, null, null, null, null, null, null),
            row(9L, "x", null, new BigDecimal("100000"), null, null, null, null, null, null, null),
            row(10L, "x", null, new BigDecimal("0.000000000000000000001"), null, null, null, null, null, null, null),
            row(11L, "x", null, new BigDecimal("-999999999999999.9"), null, null, null, null, null, null, null),
            row(12L, "x", null, 1.5d, null, null, null, null, null, null, null),
            row(null, "refused: no id", null, null, null, null, null, null, null, null, null),
            row("twelve", "refused: id is not an integer", null, null, null, null, null, null, null, null, null));

    @Test
    void binaryAndTextCopyStoreTheSameValues() throws Exception {
        String db = SharedPostgres.newDatabase("binary_copy");
        PostgresServer pg = SharedPostgres.get();

        List<Rejection> binaryRefused = write(db, "bin", "everything", ROWS, true);
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            // the same table, but one column a type Syncline does not create: the writer falls back to text
            st.execute("create schema txt");
            st.execute("create table txt.everything (like bin.everything)");
            st.execute("alter table txt.everything alter column s type varchar");
        }
        List<Rejection> textRefused = write(db, "txt", "everything", ROWS, false);

        assertThat(reasons(binaryRefused)).isEqualTo(reasons(textRefused)).hasSize(2);
        List<List<String>> binary = rows(pg, db, "bin", "everything");
        List<List<String>> text = rows(pg, db, "txt", "everything");
        assertThat(binary).hasSize(ROWS.size() - 2);
        for (int i = 0; i < binary.size(); i++) {
            assertThat(binary.get(i)).as("row " + binary.get(i).getFirst()).isEqualTo(text.get(i));
        }
        // and what that is
        assertThat(binary.get(0)).containsExactly("1", "Ada", "true", "12.50", "2024-02-29", "12:34:56.789123",
                "2024-01-01 00:00:00.000001", "2023-12-31 23:00:00+00", "{\"theme\": \"dark\"}", "[1, 2]", "\\x0001ff",
                "{\"changes\": []}");
        assertThat(binary.get(1).get(1)).isEqualTo("tab\there\nnewline \\ backslash é ✓ 😀");
        assertThat(binary.get(1).get(3)).isEqualTo("-0.0001");
        assertThat(binary.get(3).subList(1, 11)).containsOnlyNulls();
        assertThat(binary.get(3).get(11)).contains("\"field\": \"b\"", "\"field\": \"bin\"", "DESTINATION_TYPECAST_ERROR");
        assertThat(binary.stream().map(r -> r.get(3)).toList().subList(4, 12)).containsExactly(
                "123456789012345678901234567890.123456789", "100000", "NaN", "0.00", "100000", "0.000000000000000000001",
                "-999999999999999.9", "1.5");
    }

    @Test
    void rowsWithNothingToNoteGetTheirMetaFromTheColumnDefault() throws Exception {
        String db = SharedPostgres.newDatabase("binary_meta");
        // rows 1 to 3 convert cleanly: their batch leaves _syncline_meta out and the column default fills it
        assertThat(write(db, "bin", "clean", ROWS.subList(0, 3), true)).isEmpty();
        List<List<String>> rows = rows(SharedPostgres.get(), db, "bin", "clean");
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r.get(11)).isEqualTo("{\"changes\": []}"));
        try (Connection c = SharedPostgres.get().connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a "
                     + "on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'bin.clean'::regclass "
                     + "and a.attname = '_syncline_meta'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(PostgresWriter.META_DEFAULT);
        }
    }

    private static List<String> reasons(List<Rejection> refused) {
        return refused.stream().map(r -> r.reasons().toString()).toList();
    }

    private static List<Rejection> write(String db, String schema, String table, List<Object[]> rows, boolean binary)
            throws Exception {
        ObjectNode config = JSON.createObjectNode().put("host", "127.0.0.1").put("port", SharedPostgres.get().port())
                .put("database", db).put("username", PostgresServer.USER).put("password", SharedPostgres.get().password())
                .put("schema", schema);
        Stream stream = new Stream(null, table, FIELDS, Set.of(SyncMode.FULL_REFRESH), false, List.of(), List.of());
        ConfiguredCatalog catalog = new ConfiguredCatalog(List.of(new ConfiguredStream(stream, FIELDS, SyncMode.FULL_REFRESH,
                DestinationSyncMode.APPEND, List.of(), List.of(), null, table)));
        List<Rejection> refused = new ArrayList<>();
        WriteListener listener = new WriteListener() {
            @Override
            public void rejected(Rejection r) {
                refused.add(r);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        };
        try (PostgresWriter w = (PostgresWriter) new PostgresDestination(dev.syncline.connectors.reach.ConnectorReach.builder().build()).open(config, catalog, listener)) {
            assertThat(w.binaryCopy(null, table)).isEqualTo(binary);
            for (Object[] r : rows) {
                w.write(new SourceMessage.RecordMessage(null, table, new RowData(LAYOUT, Arrays.copyOf(r, r.length)),
                        Instant.parse("2024-01-01T00:00:00Z")));
            }
            w.checkpoint(new SourceMessage.StateMessage(null, table, JSON.createObjectNode()));
            w.complete();
        }
        return refused;
    }

    private static List<List<String>> rows(PostgresServer pg, String db, String schema, String table) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = pg.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select id::text, s::text, b::text, n::text, d::text, t::text, ts::text, tz::text, "
                     + "o::text, a::text, bin::text, _syncline_meta::text, _syncline_extracted_at::text from " + schema
                     + "." + table + " e order by e.id")) {
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= 12; i++) {
                    r.add(rs.getString(i));
                }
                assertThat(rs.getString(13)).isEqualTo("2024-01-01 00:00:00+00");
                out.add(r);
            }
        }
        return out;
    }
}
