package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.syncline.connectors.spi.ConfiguredCatalog;
import dev.syncline.connectors.spi.ConfiguredStream;
import dev.syncline.connectors.spi.ConnectorException;
import dev.syncline.connectors.spi.DestinationSyncMode;
import dev.syncline.connectors.spi.SourceMessage;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AttemptPlanTest {
    private static final Set<DestinationSyncMode> ALL = EnumSet.allOf(DestinationSyncMode.class);
    private static final UnaryOperator<ConfiguredCatalog> NO_GENERATIONS = c -> c;

    private static JsonNode cursor(String at) {
        return JsonNodeFactory.instance.objectNode().put("cursor", at);
    }

    @Test
    void anIncrementalAppendStreamOfASyncReadsOnFromItsStateAndStoresItAtEachCheckpoint() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup"),
                Attempts.stream("public", "teams", "full_refresh", "overwrite")).build();
        Map<String, JsonNode> saved = Map.of("public.users", cursor("2026-01-01"), "public.teams", cursor("2025-01-01"),
                SourceMessage.StateMessage.WHOLE_SOURCE, cursor("lsn/1"));

        AttemptPlan plan = AttemptPlan.of(Attempts.job(JobType.SYNC), c, ALL, saved, NO_GENERATIONS);

        assertThat(plan.readState()).containsOnlyKeys("public.users", SourceMessage.StateMessage.WHOLE_SOURCE);
        assertThat(plan.storeAtOnce()).as("an overwrite stream's state counts once the job completed (its source does not "
                + "resume a full refresh)").containsExactlyInAnyOrder("public.users", SourceMessage.StateMessage.WHOLE_SOURCE);
        assertThat(plan.resuming()).isEmpty();
        assertThat(plan.logLines()).containsExactly("the source reads on from its saved state",
                "stream public.users reads on from {\"cursor\":\"2026-01-01\"}");
        assertThat(plan.streamNames()).containsExactlyInAnyOrder("public.users", "public.teams");
        assertThat(plan.activation()).isNull();
        assertThat(plan.writeCatalog()).isSameAs(plan.catalog());
    }

    /**
     * Issue 23, item 1: a retry resumes a full refresh | overwrite stream from the state its own job stored, if the
     * source resumes a full refresh, the source can resume it and the destination resumed it; never from another job's
     * state, nor from the empty state of a completed read.
     */
    @Test
    void aRetryOffersToResumeAFullRefreshOverwriteStreamFromItsOwnJobsStateOnly() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "full_refresh", "overwrite"),
                Attempts.stream("public", "teams", "full_refresh", "overwrite"),
                Attempts.stream("public", "done", "full_refresh", "overwrite"),
                Attempts.stream("public", "kept", "full_refresh", "append")).build();
        JsonNode ranges = JsonNodeFactory.instance.objectNode().set("ctid_ranges",
                JsonNodeFactory.instance.objectNode().put("next_range", 7).put("chunk_pages", 4096));
        Job retry = Attempts.job(JobType.SYNC);
        retry.attempt = 2;
        Map<String, JsonNode> saved = Map.of("public.users", ranges, "public.teams", ranges,
                "public.done", JsonNodeFactory.instance.objectNode(), "public.kept", ranges);
        Map<String, Long> savedBy = Map.of("public.users", 42L, "public.teams", 41L, "public.done", 42L, "public.kept", 42L);

        AttemptPlan plan = AttemptPlan.of(retry, c, ALL, saved, savedBy, true, NO_GENERATIONS);

        assertThat(plan.resuming()).containsExactly("public.users");
        assertThat(plan.storeAtOnce()).as("stored at each checkpoint, with the job's id")
                .contains("public.users", "public.teams", "public.done").doesNotContain("public.kept");
        assertThat(plan.catalog().streams()).filteredOn(s -> s.stream().name().equals("users"))
                .singleElement().satisfies(s -> assertThat(s.resumeState()).isEqualTo(ranges));
        assertThat(plan.catalog().streams()).filteredOn(s -> !s.stream().name().equals("users"))
                .allSatisfy(s -> assertThat(s.resumeState()).isNull());
        assertThat(plan.readStateFor(Set.of("public.users"))).containsExactly(Map.entry("public.users", ranges));
        assertThat(plan.readStateFor(Set.of())).as("the destination did not keep what the attempt wrote").isEmpty();
        // the source says the table changed since: the stream starts over, with no state and no resume state
        AttemptPlan refused = plan.resumingOnly(Set.of());
        assertThat(refused.resuming()).isEmpty();
        assertThat(refused.readState()).isEmpty();
        assertThat(refused.catalog().streams()).allSatisfy(s -> assertThat(s.resumeState()).isNull());
        assertThat(plan.resumingOnly(Set.of("public.users"))).isSameAs(plan);
        // a source that does not resume a full refresh: nothing is offered, and its states wait for the job's end
        AttemptPlan other = AttemptPlan.of(retry, c, ALL, saved, savedBy, false, NO_GENERATIONS);
        assertThat(other.resuming()).isEmpty();
        assertThat(other.storeAtOnce()).doesNotContain("public.users", "public.teams", "public.done");
        // a new job of the same connection starts over, whatever its failed predecessor stored
        Job next = Attempts.job(JobType.SYNC);
        next.id = 43L;
        assertThat(AttemptPlan.of(next, c, ALL, saved, savedBy, true, NO_GENERATIONS).resuming()).isEmpty();
        // a refresh re-reads everything
        Job refresh = Attempts.job(JobType.REFRESH);
        refresh.refreshMode = "retain";
        refresh.attempt = 2;
        assertThat(AttemptPlan.of(refresh, c, ALL, saved, savedBy, true, NO_GENERATIONS).resuming()).isEmpty();
    }

    @Test
    void aRefreshReadsEverythingAgainAndStoresNoStateBeforeItCompletes() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append")).build();
        Job refresh = Attempts.job(JobType.REFRESH);
        refresh.refreshMode = "retain";

        AttemptPlan plan = AttemptPlan.of(refresh, c, ALL, Map.of("public.users", cursor("x"),
                SourceMessage.StateMessage.WHOLE_SOURCE, cursor("lsn/1")), NO_GENERATIONS);

        assertThat(plan.readState()).isEmpty();
        assertThat(plan.storeAtOnce()).isEmpty();
        assertThat(plan.logLines()).isEmpty();
        assertThat(plan.catalog().streams().getFirst().destinationSyncMode()).as("a retaining refresh keeps the rows")
                .isEqualTo(DestinationSyncMode.APPEND);
        assertThat(AttemptPlan.readsSource(refresh)).isTrue();
    }

    @Test
    void aClearOfSomeStreamsCoversOnlyThemAndReplacesTheirRows() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup"),
                Attempts.stream("public", "teams", "incremental", "append")).build();
        Job clear = Attempts.job(JobType.CLEAR);
        clear.scope = "[{\"namespace\":\"public\",\"name\":\"users\"}]";

        AttemptPlan plan = AttemptPlan.of(clear, c, ALL, Map.of(), NO_GENERATIONS);

        assertThat(plan.catalog().streams()).extracting(s -> s.stream().qualifiedName()).containsExactly("public.users");
        assertThat(plan.catalog().streams().getFirst().destinationSyncMode()).isEqualTo(DestinationSyncMode.OVERWRITE_DEDUP);
        assertThat(AttemptPlan.readsSource(clear)).as("a clear writes its streams empty").isFalse();
    }

    @Test
    void aRemovingRefreshReplacesTheRowsOfEveryStreamWhenItHasNoScope() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append"),
                Attempts.stream("public", "teams", "incremental", "append_dedup")).build();
        Job refresh = Attempts.job(JobType.REFRESH);
        refresh.refreshMode = "remove";

        AttemptPlan plan = AttemptPlan.of(refresh, c, ALL, Map.of(), NO_GENERATIONS);

        assertThat(plan.catalog().streams()).extracting(ConfiguredStream::destinationSyncMode)
                .containsExactly(DestinationSyncMode.OVERWRITE, DestinationSyncMode.OVERWRITE_DEDUP);
    }

    @Test
    void streamsAreNamedAsTheDestinationWillNameThem() throws Exception {
        var custom = Attempts.configuration(Attempts.stream("crm", "users", "full_refresh", "overwrite"))
                .setNamespaceDefinition("custom_format").setNamespaceFormat("raw_${SOURCE_NAMESPACE}").setPrefix("src_").build();
        ConfiguredStream s = AttemptPlan.of(Attempts.job(JobType.SYNC), custom, ALL, Map.of(), NO_GENERATIONS).catalog().streams().getFirst();
        assertThat(s.destinationNamespace()).isEqualTo("raw_crm");
        assertThat(s.destinationName()).isEqualTo("src_users");

        assertThat(AttemptPlan.namespace(Attempts.configuration().setNamespaceDefinition("source").build(), "crm")).isEqualTo("crm");
        assertThat(AttemptPlan.namespace(Attempts.configuration().setNamespaceDefinition("destination").build(), "crm")).isNull();
        assertThat(AttemptPlan.namespace(Attempts.configuration().setNamespaceDefinition("custom_format")
                .setNamespaceFormat(" ").build(), "crm")).as("a blank format is the destination's default").isNull();
    }

    @Test
    void eachStreamGetsItsGeneration() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "full_refresh", "overwrite")).build();
        AttemptPlan plan = AttemptPlan.of(Attempts.job(JobType.SYNC), c, ALL, Map.of(), catalog -> new ConfiguredCatalog(
                catalog.streams().stream().map(s -> s.withGenerationId(7)).toList()));
        assertThat(plan.catalog().streams().getFirst().generationId()).isEqualTo(7);
    }

    @Test
    void aSyncModeTheDestinationDoesNotSupportIsAConfigError() {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup")).build();
        assertThatThrownBy(() -> AttemptPlan.of(Attempts.job(JobType.SYNC), c, EnumSet.of(DestinationSyncMode.APPEND), Map.of(),
                NO_GENERATIONS))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG))
                .hasMessage("the destination does not support append_dedup (stream users)");
    }

    @Test
    void aPausedConnectionRunsNoAttempt() throws Exception {
        assertThatThrownBy(() -> AttemptPlan.checkRunnable("paused", "3 failed syncs"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.type()).isEqualTo(ConnectorException.Type.CONFIG))
                .hasMessage("the connection is paused: 3 failed syncs");
        AttemptPlan.checkRunnable("active", null);
    }

    @Test
    void aRecordOfAStreamTheConnectionDoesNotSyncIsRefused() throws Exception {
        assertThat(AttemptPlan.configured(Set.of("public.users"), "public", "users")).isEqualTo("public.users");
        assertThatThrownBy(() -> AttemptPlan.configured(Set.of("public.users"), null, "teams"))
                .hasMessage("the source sent a record of stream teams, which this connection does not sync");
    }

    @Test
    void anActivationConnectionWritesTheObjectsItMapsOnto() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup"))
                .setMappings(List.of(Attempts.contactMapping("public", "users"))).build();
        AttemptPlan plan = AttemptPlan.of(Attempts.job(JobType.SYNC), c, ALL, Map.of(), NO_GENERATIONS);
        assertThat(plan.activation()).isNotNull();
        assertThat(plan.writeCatalog().streams()).extracting(ConfiguredStream::destinationName).containsExactly("Contact");
        assertThat(plan.writeCatalog().streams().getFirst().fields()).extracting(f -> f.name()).containsExactly("Email");
    }
}
