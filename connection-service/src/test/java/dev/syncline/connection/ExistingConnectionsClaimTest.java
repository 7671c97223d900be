package dev.syncline.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connection.connections.ConnectionDtos;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.Field;
import dev.syncline.connectors.spi.FieldType;
import dev.syncline.connectors.spi.SyncMode;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.quarkus.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a database whose connections predate destination_table: V9 claims their tables as the service names them,
 * the older connection keeping a table two already wrote, the younger told in its timeline; deleted connections and
 * activation ones claim nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "connection"))
class ExistingConnectionsClaimTest {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    static Flyway flyway(PostgresServer pg, String database, String target) {
        return Flyway.configure().dataSource(pg.jdbcUrl(database), PostgresServer.USER, pg.password())
                .locations("db/migration", "db/kit").outOfOrder(true).target(target).load();
    }

    static String streams(String... names) throws Exception {
        List<ConnectionDtos.ConfiguredStream> out = new ArrayList<>();
        for (String n : names) {
            out.add(new ConnectionDtos.ConfiguredStream(null, n, SyncMode.FULL_REFRESH, DestinationSyncMode.OVERWRITE,
                    List.of(), List.of(), List.of(Field.of("id", FieldType.INTEGER)), null));
        }
        return JSON.writeValueAsString(out);
    }

    static void insert(Connection db, String sql, Object... values) throws Exception {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }

    static UUID actor(Connection db, String kind, String type, String config) throws Exception {
        UUID id = UUID.randomUUID();
        insert(db, "insert into actor (id, kind, name, connector_type, config, created_at, updated_at) "
                + "values (?, ?, ?, ?, ?, now(), now())", id, kind, kind, type, config);
        return id;
    }

    static UUID connection(Connection db, UUID source, UUID destination, String status, String prefix, String catalog,
                           String mappings, int ageMinutes) throws Exception {
        UUID id = UUID.randomUUID();
        insert(db, "insert into connection (id, name, source_id, destination_id, status, schedule, namespace_definition, "
                + "prefix, configured_catalog, mappings, created_at, updated_at) values (?, ?, ?, ?, ?, "
                + "'{\"scheduleType\":\"manual\"}', 'destination', ?, ?, ?, now() - make_interval(mins => ?), now())",
                id, "c" + ageMinutes, source, destination, status, prefix, catalog, mappings, ageMinutes);
        return id;
    }

    @Test
    void existingConnectionsClaimTheirTablesOldestFirst() throws Exception {
        PostgresServer pg = InfrastructureResource.infrastructure().postgres();
        String database = InfrastructureResource.newDatabase("claims");
        flyway(pg, database, "8").migrate();
        UUID older;
        UUID younger;
        UUID deleted;
        UUID activation;
        try (Connection db = pg.connect(database)) {
            UUID source = actor(db, "source", "sample-data", "{}");
            UUID warehouse = actor(db, "destination", "postgres", "{\"schema\":\"Analytics\"}");
            UUID duck = actor(db, "destination", "duckdb", "{\"path\":\"/tmp/x.duckdb\"}");
            deleted = connection(db, source, warehouse, "deprecated", "", streams("users"), null, 30);
            older = connection(db, source, warehouse, "active", "", streams("users"), null, 20);
            younger = connection(db, source, warehouse, "paused", "", streams("Users", "orders"), null, 10);
            activation = connection(db, source, warehouse, "active", "", streams("contacts"), "[]", 5);
            connection(db, source, duck, "active", "raw_", streams("users"), null, 1);
        }
        flyway(pg, database, "latest").migrate();

        try (Connection db = pg.connect(database);
             ResultSet rs = db.createStatement().executeQuery("select table_name, connection_id, stream from destination_table "
                     + "order by table_name")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                UUID owner = rs.getObject(2, UUID.class);
                rows.add(rs.getString(1) + " " + (owner.equals(older) ? "older" : owner.equals(younger) ? "younger"
                        : owner.equals(deleted) ? "deleted" : owner.equals(activation) ? "activation" : "duck") + " " + rs.getString(3));
            }
            // the schema as configured, else the connector's default (duckdb: main); names normalised as writers do
            assertThat(rows).containsExactly("analytics.orders younger orders", "analytics.users older users",
                    "main.raw_users duck users");
        }
        try (Connection db = pg.connect(database);
             PreparedStatement st = db.prepareStatement("select kind, summary from timeline_event where connection_id = ?")) {
            st.setObject(1, younger);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("names_collide");
                assertThat(rs.getString(2)).startsWith("Tables analytics.users are also written by an older connection");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
