package dev.syncline.connectors.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.duckdb.DuckDbDestination;
import dev.syncline.connectors.reach.ConnectorReach;
import dev.syncline.connectors.reach.ReachRefused;
import dev.syncline.connectors.reach.SettingRefused;
import dev.syncline.connectors.spi.Catalog;
import dev.syncline.connectors.spi.CheckResult;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.UncheckedConnectorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files source (and the DuckDB destination's file) against the launcher's layout: the data folder holds the admin
 * key, connectors get its {@code files} folder. What issue 17 did: read {@code <data dir>/admin.key} and /etc/shadow
 * into the warehouse and the catalog; here through a link and '..' as well.
 */
class FilesReachTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path data;
    Path root;
    Path adminKey;
    FilesSource source;

    @BeforeEach
    void layout() throws Exception {
        root = Files.createDirectories(data.resolve("files"));
        adminKey = Files.writeString(data.resolve("admin.key"), "syk_the_admin_key\n");
        Files.writeString(root.resolve("orders.csv"), "id,amount\n1,10\n2,20\n");
        source = new FilesSource(ConnectorReach.builder().filesRoots(List.of(root)).build());
    }

    static ObjectNode config(Path path) {
        return JSON.createObjectNode().put("path", path.toString()).put("format", "csv");
    }

    void assertRefused(ObjectNode config) {
        CheckResult check = source.check(config);
        assertThat(check.succeeded()).as(config.toString()).isFalse();
        assertThat(check.message()).contains("outside the folders connectors may read and write", root.toString());
        assertThatThrownBy(() -> source.discover(config)).isInstanceOf(ReachRefused.class);
    }

    @Test
    void refusesTheAdminKeyInTheDataFolder() {
        assertRefused(config(adminKey));
        assertThat(source.refusals(config(adminKey))).extracting(SettingRefused::setting).containsExactly("path");
    }

    @Test
    void refusesSystemFilesWithoutSayingWhetherTheyExist() {
        assertRefused(config(Path.of("/etc/shadow")));
        assertRefused(config(Path.of("/etc/no-such-file")));
        assertRefused(config(Path.of("/etc/*")));
    }

    @Test
    void refusesALinkInTheRootThatLeadsOutside() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("key.csv"), adminKey);
        assertRefused(config(link));
        Files.createSymbolicLink(root.resolve("data"), data);
        assertRefused(config(root.resolve("data/admin.key")));
        assertRefused(config(root.resolve("data/*.key")));
    }

    @Test
    void aGlobIsRefusedWhenAnyMatchedFileLeadsOutside() throws Exception {
        Files.createSymbolicLink(root.resolve("zz.csv"), adminKey);
        ObjectNode glob = config(root.resolve("*.csv"));
        // the folder is inside: saving it is fine, reading it names the file that leads out
        assertThat(source.refusals(glob)).isEmpty();
        assertThatThrownBy(() -> source.discover(glob)).isInstanceOf(ReachRefused.class).hasMessageContaining("zz.csv");
    }

    @Test
    void refusesDotDot() {
        ObjectNode climbing = config(root.resolve("../admin.key"));
        assertThat(source.check(climbing).succeeded()).isFalse();
        assertThatThrownBy(() -> source.discover(climbing)).hasMessageContaining("no '..' segment");
    }

    @Test
    void aFileSwappedForALinkAfterDiscoveryIsRefusedWhenRead() throws Exception {
        Path orders = root.resolve("orders.csv");
        Catalog catalog = source.discover(config(orders));
        ConfiguredCatalog configured = new ConfiguredCatalog(List.of(ConfiguredStream.fullRefreshOverwrite(catalog.streams().getFirst())));
        try (MessageReader reader = source.read(config(orders), configured, Map.of())) {
            Files.delete(orders);
            Files.createSymbolicLink(orders, adminKey);
            assertThatThrownBy(reader::hasNext).isInstanceOfSatisfying(UncheckedConnectorException.class,
                    e -> assertThat(e.connectorException()).isInstanceOf(ReachRefused.class));
        }
    }

    @Test
    void theDuckDbFileOnlyUnderARoot() throws Exception {
        DuckDbDestination duckdb = new DuckDbDestination(ConnectorReach.builder().filesRoots(List.of(root)).build());
        assertThat(duckdb.check(JSON.createObjectNode().put("path", root.resolve("warehouse.duckdb").toString())).succeeded()).isTrue();
        for (Path outside : List.of(root.resolve("../warehouse.duckdb"), data.resolve("warehouse.duckdb"), Path.of("/tmp/x.duckdb"))) {
            ObjectNode config = JSON.createObjectNode().put("path", outside.toString());
            assertThat(duckdb.check(config).succeeded()).as(outside.toString()).isFalse();
            assertThat(duckdb.refusals(config)).extracting(SettingRefused::setting).containsExactly("path");
        }
        assertThat(Files.exists(data.resolve("warehouse.duckdb"))).isFalse();
        // "file;option=value" would be options of the database to the driver (one runs a file's SQL at each connect)
        ObjectNode options = JSON.createObjectNode().put("path", root.resolve("w.duckdb") + ";session_init_sql_file=" + adminKey);
        assertThat(duckdb.check(options).succeeded()).isFalse();
        assertThat(duckdb.refusals(options)).extracting(SettingRefused::setting).containsExactly("path");
        // a link to nothing in the root would create its target wherever it points
        Files.createSymbolicLink(root.resolve("dangling.duckdb"), data.resolve("created-outside.duckdb"));
        assertThat(duckdb.check(JSON.createObjectNode().put("path", root.resolve("dangling.duckdb").toString())).message())
                .contains("link to nothing");
        assertThat(Files.exists(data.resolve("created-outside.duckdb"))).isFalse();
    }
}
