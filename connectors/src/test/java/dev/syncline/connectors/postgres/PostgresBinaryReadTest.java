package dev.syncline.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A table whose column types the binary COPY reader decodes is read through it; the same rows in a table with one
 * more column of a type it does not decode are read through JDBC. Both must give the same values, edge values
 * (infinities, NaN, NULLs, padding, 24:00) included.
 */
class PostgresBinaryReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void binaryCopyAndJdbcReadTheSameValues() throws Exception {
        String db = SharedPostgres.newDatabase("binary_read");
        PostgresServer pg = SharedPostgres.get();
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            st.execute("""
                    create domain positive as int check (value > 0);
                    create table public.typed (id bigint primary key, i2 smallint, i4 int, p positive, b boolean,
                        n numeric, n2 numeric(10,2), t text, v varchar(20), ch char(5), u uuid, d date, tm time,
                        ts timestamp, tz timestamptz, j json, jb jsonb, by bytea);
                    insert into public.typed values
                      (1, 1, 2, 3, true, 12.50, 3.10, 'Ada', 'Lovelace', 'ab', '123e4567-e89b-12d3-a456-426614174000',
                       '2024-02-29', '12:34:56.789123', '2024-01-01 00:00:00.000001', '2023-12-31 23:00:00+00',
                       '{"a": [1, 2]}', '{"theme": "dark", "n": 1.50}', '\\x0001ff'),
                      (2, -32768, -2147483648, 1, false, 'NaN', -0.01, 'é ✓ 😀 tab\there', '', '', null, 'infinity',
                       '24:00:00', '-infinity', 'infinity', '[]', '[]', ''),
                      (3, null, null, null, null, null, null, null, null, null, null, '-infinity', '00:00:00', '0001-01-01 00:00:00',
                       '1999-12-31 23:59:59.999999+00', null, 'null', null),
                      (4, 0, 0, 7, true, 'Infinity', 0, 'x', 'y', 'zzzzz', '00000000-0000-0000-0000-000000000000', '1970-01-01',
                       '23:59:59.999999', '1900-06-15 12:00:00', '1850-01-01 00:00:00+00', '"s"', '"s"', null),
                      (5, 1, 1, 1, true, '-Infinity', 99999999.99, 'x', 'y', 'z', null, '0044-03-15 BC', null, null, null, null, null, null),
                      (6, 1, 1, 1, true, 123456789012345678901234567890.000000000000000000001, 1, 'x', 'y', 'z', null, null, null, null,
                       null, null, null, null);
                    create table public.typed_jdbc as select *, interval '1 day' as iv from public.typed;
                    """);
        }
        ObjectNode config = JSON.createObjectNode().put("host", "127.0.0.1").put("port", pg.port()).put("database", db)
                .put("username", PostgresServer.USER).put("password", SharedPostgres.get().password()).put("chunk_pages", 1);
        config.putArray("schemas").add("public");
        PostgresSource source = new PostgresSource(dev.syncline.connectors.reach.ConnectorReach.builder().build());
        Stream typed = source.discover(config).stream("public", "typed").orElseThrow();
        Stream jdbc = source.discover(config).stream("public", "typed_jdbc").orElseThrow();
        try (Connection c = pg.connect(db)) {
            assertThat(BinaryCopyReader.of(c, "public.typed", typed.fields())).isNotNull();
            assertThat(BinaryCopyReader.of(c, "public.typed_jdbc", jdbc.fields())).isNull();
        }

        List<Field> common = typed.fields();
        List<List<Object>> viaCopy = read(source, config, typed, common);
        List<List<Object>> viaJdbc = read(source, config, jdbc, jdbc.fields()); // iv, last, makes it JDBC
        assertThat(viaCopy).hasSize(6);
        for (int i = 0; i < viaCopy.size(); i++) {
            List<Object> a = viaCopy.get(i);
            List<Object> b = viaJdbc.get(i);
            for (int f = 0; f < common.size(); f++) {
                assertThat(a.get(f)).as("row %s, %s", a.getFirst(), common.get(f).name()).isEqualTo(b.get(f));
            }
        }
        // a row split over several messages reads the same as a row per message
        try (Connection c = pg.connect(db)) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut("COPY (select "
                    + String.join(", ", common.stream().map(Field::name).toList()) + " from public.typed order by id) TO STDOUT (FORMAT binary)", bytes);
            byte[] all = bytes.toByteArray();
            List<List<Object>> whole = decode(BinaryCopyReader.of(c, "public.typed", common), List.of(all));
            List<byte[]> pieces = new ArrayList<>();
            for (int i = 0; i < all.length; i += 7) {
                pieces.add(Arrays.copyOfRange(all, i, Math.min(all.length, i + 7)));
            }
            assertThat(decode(BinaryCopyReader.of(c, "public.typed", common), pieces)).isEqualTo(whole).hasSize(6);
            assertThat(whole.toString()).isEqualTo(viaCopy.toString());
        }
        // and what they are
        assertThat(viaCopy.get(0).get(5)).isEqualTo(new java.math.BigDecimal("12.50"));
        assertThat(viaCopy.get(1).get(11)).isEqualTo(java.time.LocalDate.MAX);
        assertThat(viaCopy.get(1).get(5)).isEqualTo("NaN");
    }

    private static List<List<Object>> decode(BinaryCopyReader reader, List<byte[]> messages) throws Exception {
        java.util.Iterator<byte[]> it = messages.iterator();
        List<List<Object>> rows = new ArrayList<>();
        reader.read(() -> it.hasNext() ? it.next() : null, values -> rows.add(Arrays.stream(values)
                .map(v -> v instanceof byte[] b ? Arrays.toString(b) : v).toList()));
        return rows;
    }

    private static List<List<Object>> read(PostgresSource source, ObjectNode config, Stream s, List<Field> fields)
            throws Exception {
        ConfiguredCatalog catalog = new ConfiguredCatalog(List.of(new ConfiguredStream(s, fields, SyncMode.FULL_REFRESH,
                DestinationSyncMode.OVERWRITE, List.of(), List.of(), null, null)));
        List<List<Object>> rows = new ArrayList<>();
        try (MessageReader r = source.read(config, catalog, Map.of())) {
            while (r.hasNext()) {
                if (r.next() instanceof SourceMessage.RecordMessage m) {
                    List<Object> row = new ArrayList<>();
                    for (Field f : fields) {
                        Object v = m.data().get(f.name());
                        row.add(v instanceof byte[] bytes ? Arrays.toString(bytes) : v);
                    }
                    rows.add(row);
                }
            }
        }
        rows.sort(Comparator.comparing(r -> (Long) r.getFirst()));
        return rows;
    }
}
