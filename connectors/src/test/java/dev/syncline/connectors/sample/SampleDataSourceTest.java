package dev.syncline.connectors.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.connectors.conformance.SourceConformance;
import dev.syncline.connectors.spi.SourceConnector;
import dev.syncline.connectors.spi.SyncMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleDataSourceTest extends SourceConformance {

    @Override
    protected SourceConnector source() {
        return new SampleDataSource();
    }

    @Override
    protected ObjectNode config() {
        return (ObjectNode) JSON.createObjectNode().put("seed", 7).put("rows", 100).put("products", 10);
    }

    @Override
    protected Map<ObjectNode, String> badConfigs() {
        Map<ObjectNode, String> bad = new LinkedHashMap<>();
        bad.put(JSON.createObjectNode().put("rows", -1), "rows must be between");
        bad.put(JSON.createObjectNode().put("rows", 5).put("malformed_rows", 6), "malformed_rows must be between 0 and rows");
        bad.put(JSON.createObjectNode().put("rows", "many"), "rows must be an integer");
        return bad;
    }

    @Override
    protected String incrementalStream() {
        return "users";
    }

    @Override
    protected String cursorField() {
        return "updated_at";
    }

    @Override
    protected long fullRefreshRows() {
        return 100;
    }

    @Override
    protected ObjectNode changeSource() {
        return config().put("rows", 105); // five new users
    }

    @Override
    protected Set<Long> idsAfterChange() {
        return Set.of(100L, 101L, 102L, 103L, 104L, 105L); // 100 holds the saved cursor: inclusive
    }

    @Test
    void sameSeedSameRows() throws Exception {
        var catalog = configured(stream(config(), "purchases"), SyncMode.FULL_REFRESH);
        assertThat(read(config(), catalog, Map.of()).records()).isEqualTo(read(config(), catalog, Map.of()).records());
    }

    @Test
    void malformedRowsAreSpreadEvenlyAndCountedExactly() {
        for (long rows : new long[] {1, 7, 100, 1000}) {
            for (long malformed : new long[] {0, 1, 3, rows}) {
                if (malformed > rows) {
                    continue;
                }
                SampleUsers users = new SampleUsers(1, rows, malformed);
                long found = 0;
                for (long id = 1; id <= rows; id++) {
                    if (users.malformedIndex(id) >= 0) {
                        found++;
                    }
                }
                assertThat(found).as("rows %d malformed %d", rows, malformed).isEqualTo(malformed);
            }
        }
    }

    @Test
    void offersUsersProductsAndPurchases() throws Exception {
        assertThat(source().discover(config()).streams()).extracting(s -> s.name())
                .containsExactly("users", "products", "purchases");
    }
}
