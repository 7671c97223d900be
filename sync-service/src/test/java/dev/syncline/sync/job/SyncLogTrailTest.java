package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sync log's record operations (issue 22, item 1): logged only once the destination acknowledged them, in order,
 * a record the destination refused after it was sent logged as rejected with its reason, and nothing of what was sent
 * after the last acknowledgement when the attempt ends without one.
 */
class SyncLogTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Job job = Attempts.job(JobType.SYNC);
    private final List<RejectionSink.Batch> stored = new ArrayList<>();
    private final RejectionSink sink = new RejectionSink(job, JSON, 1000, stored::add);
    private final SyncStats stats = new SyncStats();
    private final List<SourceMessage.RecordMessage> written = new ArrayList<>();
    private final SyncLogTrail trail = new SyncLogTrail(SyncLogTrail.mapper(JSON), b -> sink.syncLog(List.of(b)));
    private final ActivationRetries retries;
    private final AcknowledgementListener listener;
    private final RecordWriter writer = new RecordWriter() {
        @Override
        public void write(SourceMessage.RecordMessage record) {
            written.add(record);
        }

        @Override
        public void checkpoint(SourceMessage.StateMessage state) { }

        @Override
        public void complete() { }

        @Override
        public void close() { }
    };

    SyncLogTrailTest() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup"))
                .setMappings(List.of(Attempts.contactMapping("public", "users"))).build();
        AttemptPlan plan = AttemptPlan.of(job, c, java.util.EnumSet.allOf(dev.syncline.connectors.spi.DestinationSyncMode.class),
                Map.of(), catalog -> catalog);
        retries = new ActivationRetries(job, plan.activation(), new Retries(), stats, sink, JSON, trail);
        listener = new AcknowledgementListener(stats, sink, retries, Set.of("public.users"), x -> { });
    }

    private static SourceMessage.RecordMessage user(int id, String email) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", id);
        data.put("email", email);
        return new SourceMessage.RecordMessage("public", "users", data, Instant.now());
    }

    /** The operations the sink stored, after the attempt's end handed over what was decided. */
    private List<JsonNode> logged() throws Throwable {
        sink.syncLog(trail.drain());
        sink.flush();
        List<JsonNode> out = new ArrayList<>();
        for (RejectionSink.Batch b : stored) {
            for (SyncLogTrail.Batch log : b.syncLog()) {
                String body = new String(log.body(), StandardCharsets.UTF_8);
                String[] lines = body.split("\n");
                assertThat(lines).hasSize(log.entries());
                for (String line : lines) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(j -> j.path("seq").asLong()));
        return out;
    }

    @Test
    void operationsAreLoggedOnceDecidedEachWithItsFate() throws Throwable {
        retries.send("public.users", user(1, "a@example.com"), writer);
        retries.send("public.users", user(2, null), writer); // refused by the mapping: never sent
        retries.send("public.users", user(3, "c@example.com"), writer);
        // the destination refuses the third when it flushes
        SourceMessage.RecordMessage third = written.get(1);
        listener.rejected(new Rejection(third, List.of(new Rejection.Reason("Email", Rejection.Code.CONSTRAINT_VIOLATION,
                "duplicate key"))));
        listener.flushed();

        List<JsonNode> log = logged();
        assertThat(log).extracting(j -> j.path("seq").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(log.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(log.get(0).path("key").asText()).isEqualTo("{\"Email\":\"a@example.com\"}");
        assertThat(log.get(0).path("operation").asText()).isEqualTo("upsert");
        assertThat(log.get(0).path("object").asText()).isEqualTo("Contact");
        assertThat(log.get(0).path("stream").asText()).isEqualTo("public.users");
        assertThat(log.get(0).path("payload").path("Email").asText()).isEqualTo("a@example.com");
        assertThat(Instant.parse(log.get(0).path("at").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(log.get(1).path("status").asText()).isEqualTo("rejected");
        assertThat(log.get(1).path("code").asText()).isEqualTo("MISSING_REQUIRED");
        assertThat(log.get(1).has("key")).as("a record without its matching key has none").isFalse();
        assertThat(log.get(2).path("status").asText()).isEqualTo("rejected");
        assertThat(log.get(2).path("code").asText()).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(log.get(2).path("field").asText()).isEqualTo("Email");
        assertThat(log.get(2).path("message").asText()).isEqualTo("Email: duplicate key");
    }

    @Test
    void whatTheDestinationNeverFlushedIsNotLoggedByAnAttemptThatFails() throws Throwable {
        retries.send("public.users", user(1, "a@example.com"), writer);
        listener.checkpointed(new SourceMessage.StateMessage("public", "users", JSON.createObjectNode().put("cursor", 1)));
        retries.send("public.users", user(2, "b@example.com"), writer); // buffered by the destination when it fails

        assertThat(logged()).extracting(j -> j.path("seq").asLong()).containsExactly(1L);
    }

    @Test
    void decidedOperationsGoToTheSinkInBatchesWithoutWaitingForACheckpoint() throws Throwable {
        for (int i = 0; i < SyncLogTrail.ENTRIES_PER_BATCH + 5; i++) {
            retries.send("public.users", user(i, "u" + i + "@example.com"), writer);
        }
        listener.flushed();
        sink.flush();
        assertThat(stored.stream().flatMap(b -> b.syncLog().stream())).extracting(SyncLogTrail.Batch::entries)
                .containsExactly(SyncLogTrail.ENTRIES_PER_BATCH);
        assertThat(logged()).hasSize(SyncLogTrail.ENTRIES_PER_BATCH + 5);
        assertThat(((MappedRecord) written.getLast().data())).containsKey("Email");
    }

    @Test
    void aNulCharacterWhichPostgresJsonbRefusesIsReplaced() throws Throwable {
        retries.send("public.users", user(1, "a\u0000b@example.com"), writer);
        listener.flushed();
        sink.syncLog(trail.drain());
        sink.flush();
        String body = new String(stored.getLast().syncLog().getFirst().body(), StandardCharsets.UTF_8);
        // no \u0000 escape left for jsonb to refuse (the key is JSON text: its own escape is an escaped backslash)
        assertThat(body.replace("\\\\", "")).doesNotContain("\\u0000");
        assertThat(JSON.readTree(body).path("payload").path("Email").asText()).isEqualTo("a\uFFFDb@example.com");
    }
}
