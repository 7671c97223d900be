package dev.syncline.connection.connections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a connection does about a change of its source's schema: by what breaks, its policy and its status. */
class SchemaChangeReactionTest {
    static final List<String> NOTHING = List.of();
    static final List<String> CURSOR_GONE = List.of("stream users: cursor field updated_at was removed");

    @Test
    void aBreakingChangeWaitsForReviewWhateverThePolicyAndPausesOnlyAnActiveConnection() {
        for (SchemaChangePolicy policy : SchemaChangePolicy.values()) {
            assertThat(SchemaChangeReaction.of(CURSOR_GONE, policy, ConnectionStatus.ACTIVE)).as(policy.wireName())
                    .isEqualTo(new SchemaChangeReaction.Breaking(CURSOR_GONE, true));
            assertThat(SchemaChangeReaction.of(CURSOR_GONE, policy, ConnectionStatus.PAUSED))
                    .isEqualTo(new SchemaChangeReaction.Breaking(CURSOR_GONE, false));
            assertThat(SchemaChangeReaction.of(CURSOR_GONE, policy, ConnectionStatus.INACTIVE))
                    .isEqualTo(new SchemaChangeReaction.Breaking(CURSOR_GONE, false));
        }
        assertThat(new SchemaChangeReaction.Breaking(CURSOR_GONE, true).reason())
                .isEqualTo("SCHEMA_CHANGE_BREAKING: stream users: cursor field updated_at was removed");
    }

    @Test
    void ignoreKeepsTheChangeForReviewAndSyncsOn() {
        for (ConnectionStatus status : List.of(ConnectionStatus.ACTIVE, ConnectionStatus.PAUSED, ConnectionStatus.INACTIVE)) {
            assertThat(SchemaChangeReaction.of(NOTHING, SchemaChangePolicy.IGNORE, status))
                    .isEqualTo(new SchemaChangeReaction.WaitForReview());
        }
    }

    @Test
    void disablePausesAnActiveConnectionUntilReviewed() {
        assertThat(SchemaChangeReaction.of(NOTHING, SchemaChangePolicy.DISABLE, ConnectionStatus.ACTIVE))
                .isEqualTo(new SchemaChangeReaction.StopUntilReviewed(true));
        assertThat(SchemaChangeReaction.of(NOTHING, SchemaChangePolicy.DISABLE, ConnectionStatus.INACTIVE))
                .isEqualTo(new SchemaChangeReaction.StopUntilReviewed(false));
    }

    @Test
    void propagatePoliciesApplyTheChange() {
        assertThat(SchemaChangeReaction.of(NOTHING, SchemaChangePolicy.PROPAGATE_COLUMNS, ConnectionStatus.ACTIVE))
                .isEqualTo(new SchemaChangeReaction.Propagate(false));
        assertThat(SchemaChangeReaction.of(NOTHING, SchemaChangePolicy.PROPAGATE_FULLY, ConnectionStatus.PAUSED))
                .isEqualTo(new SchemaChangeReaction.Propagate(true));
        assertThat(SchemaChangePolicy.values()).filteredOn(SchemaChangePolicy::propagates)
                .containsExactly(SchemaChangePolicy.PROPAGATE_COLUMNS, SchemaChangePolicy.PROPAGATE_FULLY);
    }

    @Test
    void policiesTravelByTheirWireNames() {
        assertThat(SchemaChangePolicy.values()).extracting(SchemaChangePolicy::wireName)
                .containsExactly("propagate_columns", "propagate_fully", "ignore", "disable");
        assertThat(ConnectionDtos.SCHEMA_CHANGE_POLICIES.split("\\|"))
                .as("the API's pattern names each policy").containsExactly("propagate_columns", "propagate_fully", "ignore", "disable");
        assertThat(SchemaChangePolicy.orDefault(null)).isEqualTo(SchemaChangePolicy.PROPAGATE_COLUMNS);
        assertThat(new SchemaChangePolicy.Column().convertToEntityAttribute("ignore")).isEqualTo(SchemaChangePolicy.IGNORE);
    }
}
