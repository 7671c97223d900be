package dev.syncline.connectors.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.Stream;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, item 1: a full refresh | overwrite read by several readers at once and loaded by several COPYs at once
 * gives the same final table as one read by one reader and loaded by one COPY: the same row count and the same
 * order-independent checksum of every column the source has.
 */
class ParallelFullRefreshTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConnectorReach REACH = ConnectorReach.builder().build();

    @Test
    void aParallelFullRefreshGivesTheFinalTableASerialOneGives() throws Exception {
        String src = SharedPostgres.newDatabase("parallel_src");
        String dst = SharedPostgres.newDatabase("parallel_dst");
        try (Connection c = SharedPostgres.get().connect(src); Statement st = c.createStatement()) {
            st.execute("create table public.users (id bigint primary key, name text, score numeric(10,2), active boolean, "
                    + "tags jsonb, seen timestamptz)");
            st.execute("insert into public.users select i, 'user ' || i, (i % 10000) / 100.0, i % 3 = 0, "
                    + "jsonb_build_array('t' || (i % 7)), timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' "
                    + "from generate_series(1, 50000) i");
        }
        ObjectNode source = JSON.createObjectNode().put("host", "127.0.0.1").put("port", SharedPostgres.get().port())
                .put("database", src).put("username", PostgresServer.USER).put("password", SharedPostgres.get().password())
                .put("chunk_pages", 8).put("checkpoint_seconds", 0);
        source.putArray("schemas").add("public");
        Stream users = new PostgresSource(REACH).discover(source).stream("public", "users").orElseThrow();

        sync(source.deepCopy().put("readers_per_table", 1), destination(dst, "serial").put("parallel_loads", 1), users);
        sync(source.deepCopy().put("readers_per_table", 3), destination(dst, "parallel").put("parallel_loads", 3), users);

        String serial = checksum(dst, "serial.users");
        assertThat(serial).startsWith("50000 rows");
        assertThat(checksum(dst, "parallel.users")).isEqualTo(serial);
        assertThat(checksum(src, "public.users")).isEqualTo(serial);
    }

    private static ObjectNode destination(String db, String schema) {
        return JSON.createObjectNode().put("host", "127.0.0.1").put("port", SharedPostgres.get().port()).put("database", db)
                .put("username", PostgresServer.USER).put("password", SharedPostgres.get().password()).put("schema", schema);
    }

    /** What sync-service's data plane does with one stream: read, write, checkpoint at each state, complete. */
    private static void sync(ObjectNode source, ObjectNode destination, Stream users) throws Exception {
        ConfiguredCatalog catalog = new ConfiguredCatalog(List.of(new ConfiguredStream(users, users.fields(),
                SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE, List.of(), List.of(List.of("id")), null, "users")));
        WriteListener listener = new WriteListener() {
            @Override
            public void rejected(Rejection r) {
                throw new AssertionError("rejected " + r);
            }

            @Override
            public void checkpointed(SourceMessage.StateMessage state) { }
        };
        try (MessageReader reader = new PostgresSource(REACH).read(source, catalog, Map.of());
             RecordWriter writer = new PostgresDestination(REACH).open(destination, catalog, listener)) {
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case SourceMessage.RecordMessage r -> writer.write(r);
                    case SourceMessage.StateMessage st -> writer.checkpoint(st);
                    default -> { }
                }
            }
            writer.complete();
        }
    }

    /** The row count and the sum of the first 60 bits of each row's md5 over the source's columns. */
    private static String checksum(String db, String table) throws Exception {
        try (Connection c = SharedPostgres.get().connect(db); ResultSet rs = c.createStatement().executeQuery(
                "select count(*), sum(('x' || left(md5(concat_ws('|', id, name, score, active, tags, seen)), 15))::bit(60)"
                        + "::bigint) from " + table)) {
            rs.next();
            return rs.getLong(1) + " rows, checksum " + rs.getString(2);
        }
    }
}
