package dev.syncline.connectors.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.connectors.spi.ConnectorException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard alone: no connection is opened, only addresses resolved and paths followed. */
class ConnectorReachTest {
    /** A stack as the launcher describes it: PostgreSQL on 5432 with the services' databases, Kafka, registry, services. */
    static final ConnectorReach STACK = ConnectorReach.builder()
            .platformPostgres("127.0.0.1:5432", List.of("connection", "schema", "sync", "rejects", "registry"))
            .platformTargets(List.of("127.0.0.1:9092", "127.0.0.1:9093", "127.0.0.1:8085", "127.0.0.1:8081", "127.0.0.1:8080"))
            .build();

    @Test
    void refusesThePlatformsDatabasesHoweverTheLocalHostIsSpelled() throws Exception {
        String machine = InetAddress.getLocalHost().getHostName();
        for (String host : List.of("127.0.0.1", "localhost", "LOCALHOST", "127.0.0.2", "::1", "[::1]", "0.0.0.0", "::",
                "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1", machine)) {
            for (String database : List.of("connection", "CONNECTION", "sync", "registry", "postgres", "template1")) {
                assertThatThrownBy(() -> STACK.postgres(host, 5432, database)).as(host + "/" + database)
                        .isInstanceOfSatisfying(ReachRefused.class, e -> {
                            assertThat(e.part()).isEqualTo(ReachRefused.Part.DATABASE);
                            assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG);
                            assertThat(e.getMessage()).contains("belongs to Syncline itself", "syncline.connectors.allowed-targets");
                        });
            }
        }
    }

    @Test
    void letsADatabaseOfTheUsersOwnOnThePlatformsServerThrough() throws Exception {
        // the walkthrough's warehouse lives on the stack's PostgreSQL
        InetAddress to = STACK.postgres("localhost", 5432, "warehouse");
        assertThat(to.isLoopbackAddress()).isTrue();
        // the same names on another server are someone else's
        assertThat(STACK.postgres("127.0.0.1", 5433, "connection").getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesKafkaTheRegistryAndTheServicesToEveryConnector() {
        for (String host : List.of("127.0.0.1", "localhost", "127.0.0.2", "[::1]", "0.0.0.0")) {
            for (int port : List.of(9092, 9093, 8085, 8081, 8080, 5432)) {
                assertThatThrownBy(() -> STACK.address(host, port)).as(host + ":" + port)
                        .isInstanceOfSatisfying(ReachRefused.class, e -> {
                            assertThat(e.part()).isEqualTo(ReachRefused.Part.ADDRESS);
                            assertThat(e.getMessage()).contains("an address of Syncline itself",
                                    "syncline.connectors.allowed-targets=" + host + ":" + port);
                        });
            }
            // a postgres connector pointed at Kafka's port is refused by address, whatever the database
            assertThatThrownBy(() -> STACK.postgres(host, 9092, "warehouse")).isInstanceOfSatisfying(ReachRefused.class,
                    e -> assertThat(e.part()).isEqualTo(ReachRefused.Part.ADDRESS));
        }
    }

    @Test
    void anotherPortOnThisMachineIsNotThePlatforms() throws Exception {
        assertThat(STACK.address("localhost", 18080)).isNotNull();
    }

    @Test
    void anAdminAllowsOneTargetExplicitly() throws Exception {
        ConnectorReach allowing = ConnectorReach.builder()
                .platformPostgres("127.0.0.1:5432", List.of("connection", "sync"))
                .platformTargets(List.of("127.0.0.1:9092", "127.0.0.1:8081"))
                .allowedTargets(List.of("localhost:8081", "127.0.0.1:5432/connection"))
                .build();
        assertThat(allowing.address("127.0.0.1", 8081)).isNotNull();
        assertThat(allowing.postgres("localhost", 5432, "connection")).isNotNull();
        // only what was named
        assertThatThrownBy(() -> allowing.address("127.0.0.1", 9092)).isInstanceOf(ReachRefused.class);
        assertThatThrownBy(() -> allowing.postgres("localhost", 5432, "sync")).isInstanceOf(ReachRefused.class);
        // allowing the server's address does not open its platform databases: each is named
        ConnectorReach server = ConnectorReach.builder().platformPostgres("127.0.0.1:5432", List.of("connection"))
                .allowedTargets(List.of("127.0.0.1:5432")).build();
        assertThatThrownBy(() -> server.postgres("127.0.0.1", 5432, "connection")).isInstanceOf(ReachRefused.class);
    }

    @Test
    void aHostMustBeAHostAndNothingMore() {
        // what pgjdbc would read as another database, parameters, or a list of hosts
        for (String host : List.of("127.0.0.1:5432/connection?", "localhost/connection", "a,127.0.0.1", "h?socketFactory=x",
                "user@localhost", "", " localhost", "local host", "[::1", "127.0.0.1:5432")) {
            assertThatThrownBy(() -> STACK.postgres(host, 5432, "warehouse")).as(host)
                    .isInstanceOfSatisfying(ReachRefused.class, e -> assertThat(e.part()).isEqualTo(ReachRefused.Part.ADDRESS));
        }
        assertThatThrownBy(() -> STACK.postgres("localhost", 5432, "warehouse\u0000")).isInstanceOf(ReachRefused.class);
        assertThatThrownBy(() -> STACK.address("localhost", 70000)).isInstanceOf(ReachRefused.class);
    }

    @Test
    void aNameThatDoesNotResolveIsATransientFailureNotARefusal() {
        assertThatThrownBy(() -> STACK.address("no-such-host.invalid", 443)).isInstanceOfSatisfying(ConnectorException.class,
                e -> {
                    assertThat(e).isNotInstanceOf(ReachRefused.class);
                    assertThat(e.type()).isEqualTo(ConnectorException.Type.TRANSIENT);
                });
    }

    @Test
    void targetsAreWrittenHostPortAndDatabase() {
        assertThat(NetworkTarget.parse("[::1]:5432/warehouse")).isEqualTo(new NetworkTarget("::1", 5432, "warehouse"));
        assertThat(NetworkTarget.parse("kafka:9092")).isEqualTo(new NetworkTarget("kafka", 9092, null));
        assertThatThrownBy(() -> NetworkTarget.parse("kafka")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetworkTarget.parse("kafka:x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesOnlyUnderARootOnceLinksAndDotDotAreResolved(@TempDir Path data) throws Exception {
        // the launcher's layout: the data folder holds admin.key, connectors get data/files
        Path root = Files.createDirectories(data.resolve("files"));
        Path adminKey = Files.writeString(data.resolve("admin.key"), "syk_secret");
        Path orders = Files.writeString(root.resolve("orders.csv"), "id\n1\n");
        ConnectorReach reach = ConnectorReach.builder().filesRoots(List.of(root)).build();

        assertThat(reach.file(orders)).isEqualTo(orders.toRealPath());
        // a file to come (a glob's folder, a DuckDB file to create) is resolved as far as it exists
        assertThat(reach.file(root.resolve("2025/new.csv"))).isEqualTo(root.toRealPath().resolve("2025/new.csv"));

        for (Path outside : List.of(adminKey, Path.of("/etc/shadow"), root.resolve("../admin.key"), root.resolve(".."),
                Path.of("/"))) {
            assertThatThrownBy(() -> reach.file(outside)).as(outside.toString())
                    .isInstanceOfSatisfying(ReachRefused.class, e -> {
                        assertThat(e.part()).isEqualTo(ReachRefused.Part.PATH);
                        assertThat(e.getMessage()).contains("outside the folders connectors may read and write", root.toString(),
                                "syncline.connectors.files.roots");
                    });
        }
        // a link inside the root that leads outside, to a file or to a folder
        Path keyLink = Files.createSymbolicLink(root.resolve("key.csv"), adminKey);
        Path dataLink = Files.createSymbolicLink(root.resolve("data"), data);
        assertThatThrownBy(() -> reach.file(keyLink)).isInstanceOf(ReachRefused.class);
        assertThatThrownBy(() -> reach.file(dataLink.resolve("admin.key"))).isInstanceOf(ReachRefused.class);
        // a link to nothing would be followed when written to
        Path dangling = Files.createSymbolicLink(root.resolve("new.duckdb"), data.resolve("elsewhere.duckdb"));
        assertThatThrownBy(() -> reach.file(dangling)).isInstanceOf(ReachRefused.class).hasMessageContaining("link to nothing");
        assertThatThrownBy(() -> reach.file(Path.of("relative.csv"))).isInstanceOf(ReachRefused.class);
    }

    @Test
    void aRootMayItselfBeALinkAndMayNotExistYet(@TempDir Path data) throws Exception {
        Path real = Files.createDirectories(data.resolve("real"));
        Path linked = Files.createSymbolicLink(data.resolve("linked"), real);
        Path file = Files.writeString(real.resolve("a.csv"), "x\n");
        ConnectorReach reach = ConnectorReach.builder().filesRoots(List.of(linked)).build();
        assertThat(reach.file(linked.resolve("a.csv"))).isEqualTo(file.toRealPath());

        ConnectorReach missing = ConnectorReach.builder().filesRoots(List.of(data.resolve("later"))).build();
        assertThatThrownBy(() -> missing.file(data.resolve("later/a.csv"))).isInstanceOf(ReachRefused.class)
                .hasMessageContaining("does not exist yet");
        assertThatThrownBy(() -> ConnectorReach.builder().build().file(file)).isInstanceOf(ReachRefused.class)
                .hasMessageContaining("no folder is open to connectors");
    }
}
