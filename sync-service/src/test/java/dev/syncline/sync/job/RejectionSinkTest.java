package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.events.EventCodec;
import dev.syncline.events.RecordRejected;
import dev.syncline.events.RecordsRejected;
import dev.syncline.kit.outbox.Outbox;
import dev.syncline.kit.outbox.OutboxEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class RejectionSinkTest {
    private final Job job = Attempts.job(JobType.SYNC);
    private final List<RejectionSink.Batch> stored = new ArrayList<>();
    private final RejectionSink sink = new RejectionSink(job, new ObjectMapper(), 1000, stored::add);
    private static final SourceMessage.RecordMessage RECORD = new SourceMessage.RecordMessage("public", "users",
            Map.of("id", 1, "email", "a@example.com"), Instant.now());
    private static final List<Rejection.Reason> REASONS = List.of(new Rejection.Reason("email",
            Rejection.Code.INVALID_FORMAT, "not an email"));

    private static SpecificRecord decoded(OutboxEvent e) {
        return EventCodec.decode(e.eventType, e.payload);
    }

    private static List<RecordRejected> rejections(RejectionSink.Batch b) {
        return b.events().stream().map(RejectionSinkTest::decoded).filter(p -> p instanceof RecordsRejected)
                .flatMap(p -> ((RecordsRejected) p).getRejections().stream()).toList();
    }

    @Test
    void theSinkFlushesWhenItHoldsItsBatchOfWrites() throws Throwable {
        RejectionSink small = new RejectionSink(job, new ObjectMapper(), 10, stored::add);
        for (int i = 0; i < 9; i++) {
            small.rejected(RECORD, RECORD.data(), REASONS);
            small.flushIfFull();
        }
        assertThat(stored).isEmpty();
        small.rejected(RECORD, RECORD.data(), REASONS);
        small.flushIfFull();

        assertThat(stored).hasSize(1);
        assertThat(rejections(stored.getFirst())).hasSize(10).allSatisfy(r -> {
            assertThat(r.getJobId()).isEqualTo(42L);
            assertThat(r.getStream()).isEqualTo("users");
            assertThat(r.getRecord()).contains("a@example.com");
            assertThat(r.getReasons().getFirst().getCode()).isEqualTo("INVALID_FORMAT");
        });
        assertThat(small.isEmpty()).isTrue();
    }

    @Test
    void rejectionsTravelFiveHundredToAnEvent() throws Throwable {
        for (int i = 0; i < 1200; i++) {
            sink.rejected(RECORD, RECORD.data(), REASONS);
        }
        assertThat(sink.size()).as("two sealed events and 200 rejections").isEqualTo(202);
        sink.flush();
        assertThat(stored.getFirst().events()).extracting(e -> ((RecordsRejected) decoded(e)).getRejections().size())
                .containsExactly(500, 500, 200);
    }

    @Test
    void anEventComesAfterTheRejectionsBeforeIt() throws Throwable {
        sink.rejected(RECORD, RECORD.data(), REASONS);
        sink.event(Outbox.row("t", "k", RecordsRejected.newBuilder().setEventId("e")
                .setOccurredAt(Instant.now()).setConnectionId("c").setJobId(1).setRejections(List.of()).build()));
        sink.flush();
        assertThat(stored.getFirst().events()).hasSize(2);
        assertThat(((RecordsRejected) decoded(stored.getFirst().events().get(0))).getRejections()).hasSize(1);
        assertThat(((RecordsRejected) decoded(stored.getFirst().events().get(1))).getEventId()).isEqualTo("e");
    }

    @Test
    void aStateIsStoredWithEverythingGatheredBeforeIt() throws Throwable {
        sink.log("INFO", "started");
        sink.rejected(RECORD, RECORD.data(), REASONS);
        sink.retryUpsert("public.users", "{\"id\":1}", "{}", "e1");
        sink.retryDelete("public.users", "{\"id\":2}");
        var state = new SourceMessage.StateMessage("public", "users", JsonNodeFactory.instance.objectNode().put("cursor", 5));

        sink.store(List.of(state));

        RejectionSink.Batch b = stored.getFirst();
        assertThat(b.states()).containsExactly(state);
        assertThat(b.logs()).extracting(l -> l.message).containsExactly("started");
        assertThat(rejections(b)).hasSize(1);
        assertThat(b.retryUpserts()).containsExactly(new RejectionSink.RetryRow("public.users", "{\"id\":1}", "{}", "e1"));
        assertThat(b.retryDeletes()).containsExactly(new RejectionSink.RetryRow("public.users", "{\"id\":2}", null, null));
        assertThat(sink.isEmpty()).isTrue();
    }

    @Test
    void nothingToStoreIsNoTransaction() throws Throwable {
        sink.flush();
        sink.store(List.of());
        assertThat(stored).isEmpty();
    }
}
