package dev.syncline.connectors.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.postgres.PostgresDestination;
import dev.syncline.connectors.postgres.PostgresSource;
import dev.syncline.connectors.postgrestable.PostgresTableDestination;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.connectors.spi.WriteListener;
import dev.syncline.infra.PostgresServer;
import dev.syncline.testing.junit.SharedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 17 against a real PostgreSQL playing the platform's: an editor's postgres-table destination or
 * postgres source pointed at a service's database (where connection-service keeps its API keys), under every spelling
 * of this machine; and driver parameters smuggled in through the database name.
 */
class PlatformDatabaseReachTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static PostgresServer pg;
    /** Plays connection-service's database: its api_key table is what the attack wrote a forged key into. */
    static String platform;
    /** A database of the user's own on the same server, like the walkthrough's warehouse. */
    static String warehouse;
    static ConnectorReach reach;

    @BeforeAll
    static void servers() throws Exception {
        pg = SharedPostgres.get();
        platform = SharedPostgres.newDatabase("connection");
        warehouse = SharedPostgres.newDatabase("warehouse");
        for (String db : List.of(platform, warehouse)) {
            try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
                st.execute("create table api_key (id bigint primary key, key_hash text not null, role text not null)");
            }
        }
        reach = ConnectorReach.builder().platformPostgres(pg.host() + ":" + pg.port(), List.of(platform, "registry")).build();
    }

    static ObjectNode config(String host, String database) {
        return JSON.createObjectNode().put("host", host).put("port", pg.port()).put("database", database)
                .put("username", PostgresServer.USER).put("password", pg.password()).put("schema", "public");
    }

    static final List<String> LOCAL_SPELLINGS = List.of("127.0.0.1", "localhost", "127.0.0.2", "[::1]", "::1", "0.0.0.0",
            "::ffff:127.0.0.1");

    @Test
    void aPostgresTableDestinationCannotReachAServicesDatabase() {
        PostgresTableDestination destination = new PostgresTableDestination(reach);
        for (String host : LOCAL_SPELLINGS) {
            ObjectNode config = config(host, platform);
            assertThat(destination.check(config).succeeded()).as(host).isFalse();
            assertThat(destination.check(config).message()).contains("belongs to Syncline itself");
            assertThatThrownBy(() -> destination.discoverObjects(config)).as(host)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG));
            assertThatThrownBy(() -> destination.open(config, new ConfiguredCatalog(List.of()), NO_LISTENER))
                    .isInstanceOf(ReachRefused.class);
            assertThat(destination.refusals(config)).extracting(SettingRefused::setting).containsExactly("database");
        }
    }

    @Test
    void aPostgresSourceCannotListAServicesTables() {
        PostgresSource source = new PostgresSource(reach);
        for (String host : LOCAL_SPELLINGS) {
            assertThatThrownBy(() -> source.discover(config(host, platform))).as(host).isInstanceOf(ReachRefused.class)
                    .hasMessageContaining("database " + platform);
            assertThat(source.check(config(host, "REGISTRY")).succeeded()).isFalse();
        }
        assertThat(new PostgresDestination(reach).refusals(config("localhost", "template1")))
                .extracting(SettingRefused::setting).containsExactly("database");
    }

    @Test
    void theUsersOwnDatabaseOnTheSameServerWorks() throws Exception {
        assertThat(new PostgresTableDestination(reach).discoverObjects(config("localhost", warehouse)).streams())
                .extracting(s -> s.name()).containsExactly("api_key");
        assertThat(new PostgresSource(reach).check(config("127.0.0.1", warehouse)).succeeded()).isTrue();
        assertThat(new PostgresSource(reach).refusals(config("127.0.0.1", warehouse))).isEmpty();
    }

    @Test
    void anAdminsAllowanceLetsThatOneDatabaseThrough() throws Exception {
        ConnectorReach allowing = ConnectorReach.builder().platformPostgres(pg.host() + ":" + pg.port(), List.of(platform))
                .allowedTargets(List.of("localhost:" + pg.port() + "/" + platform)).build();
        assertThat(new PostgresTableDestination(allowing).discoverObjects(config("127.0.0.1", platform)).streams()).hasSize(1);
    }

    /** Instantiated by the driver when a URL names it: the attack's proof that it ran code of the config's choosing. */
    public static final class RecordingSocketFactory extends SocketFactory {
        static final AtomicInteger CREATED = new AtomicInteger();

        public RecordingSocketFactory(String arg) {
            CREATED.incrementAndGet();
        }

        // instantiating it is the harm: no socket of it is needed
        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new IOException("not used by the driver");
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw new IOException("not used by the driver");
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw new IOException("not used by the driver");
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            throw new IOException("not used by the driver");
        }
    }

    @Test
    void aDatabaseNameCannotAddDriverParameters() {
        String injected = warehouse + "?socketFactory=" + RecordingSocketFactory.class.getName() + "&socketFactoryArg=x";
        var check = new PostgresDestination(reach).check(config("127.0.0.1", injected));
        assertThat(RecordingSocketFactory.CREATED).as("the driver instantiated a class named in the database setting").hasValue(0);
        assertThat(check.succeeded()).isFalse();
        assertThat(check.message()).contains("does not exist");
        // the platform's database behind a parameter is no way round the guard either
        assertThat(new PostgresSource(reach).check(config("127.0.0.1", warehouse + "?options=-c%20search_path%3Dx")).message())
                .contains("does not exist");
    }

    @Test
    void aHostCannotCarryAnotherDatabaseOrHost() {
        for (String host : List.of("127.0.0.1:" + pg.port() + "/" + platform + "?", "127.0.0.1/" + platform + "?x=",
                "10.255.255.1," + "127.0.0.1")) {
            assertThat(new PostgresTableDestination(reach).refusals(config(host, warehouse))).as(host)
                    .extracting(SettingRefused::setting).containsExactly("host");
            assertThatThrownBy(() -> new PostgresTableDestination(reach).discoverObjects(config(host, warehouse)))
                    .isInstanceOf(ReachRefused.class);
        }
    }

    static final WriteListener NO_LISTENER = new WriteListener() {
        @Override
        public void rejected(Rejection r) { }

        @Override
        public void checkpointed(SourceMessage.StateMessage state) { }
    };
}
