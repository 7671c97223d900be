package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.connectors.activation.MappedRecord;
import dev.syncline.connectors.spi.RecordWriter;
import dev.syncline.connectors.spi.Rejection;
import dev.syncline.connectors.spi.SourceMessage;
import dev.syncline.events.EventCodec;
import dev.syncline.events.RecordsRejected;
import dev.syncline.events.RejectedRecordsUpdated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ActivationRetriesTest {
    private static final String A = "{\"Email\":\"a@example.com\"}";
    private static final String B = "{\"Email\":\"b@example.com\"}";

    private final Job job = Attempts.job(JobType.SYNC);
    private final List<RejectionSink.Batch> stored = new ArrayList<>();
    private final RejectionSink sink = new RejectionSink(job, new ObjectMapper(), 1000, stored::add);
    private final SyncStats stats = new SyncStats();
    private final List<SourceMessage.RecordMessage> written = new ArrayList<>();
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
    private final ActivationRetries retries;

    ActivationRetriesTest() throws Exception {
        var c = Attempts.configuration(Attempts.stream("public", "users", "incremental", "append_dedup"))
                .setMappings(List.of(Attempts.contactMapping("public", "users"))).build();
        AttemptPlan plan = AttemptPlan.of(job, c, java.util.EnumSet.allOf(dev.syncline.connectors.spi.DestinationSyncMode.class),
                Map.of(), catalog -> catalog);
        retries = new ActivationRetries(job, plan.activation(), new Retries(), stats, sink, new ObjectMapper());
    }

    private static SourceMessage.RecordMessage user(int id, String email) {
        Map<String, Object> data = new HashMap<>();
        data.put("id", id);
        data.put("email", email);
        return new SourceMessage.RecordMessage("public", "users", data, Instant.now());
    }

    private List<SpecificRecord> events() throws Throwable {
        sink.flush();
        return stored.stream().flatMap(b -> b.events().stream()).map(e -> EventCodec.decode(e.eventType, e.payload)).toList();
    }

    private List<RejectionSink.RetryRow> upserts() throws Throwable {
        sink.flush();
        return stored.stream().flatMap(b -> b.retryUpserts().stream()).toList();
    }

    private List<RejectionSink.RetryRow> deletes() throws Throwable {
        sink.flush();
        return stored.stream().flatMap(b -> b.retryDeletes().stream()).toList();
    }

    /** As the store gives them: maps the attempt changes. */
    private static Map<String, Map<String, String>> waiting(String key, String record) {
        Map<String, Map<String, String>> w = new HashMap<>();
        w.computeIfAbsent("public.users", k -> new java.util.LinkedHashMap<>()).put(key, record);
        return w;
    }

    @Test
    void anInvalidRecordIsRejectedWithoutBeingSentAndKeptUnderItsOwnEventWhenItHasNoKey() throws Throwable {
        retries.send("public.users", user(1, null), writer);

        assertThat(written).isEmpty();
        assertThat(stats.recordsRejected()).isEqualTo(1);
        var rejected = ((RecordsRejected) events().getFirst()).getRejections().getFirst();
        assertThat(rejected.getReasons().getFirst().getCode()).isEqualTo(Rejection.Code.MISSING_REQUIRED.name());
        assertThat(rejected.getDestinationObject()).isEqualTo("Contact");
        assertThat(rejected.getInsertionMethod()).isEqualTo("upsert");
        assertThat(rejected.getSupersedes()).isFalse();
        assertThat(upserts()).singleElement().satisfies(u -> assertThat(u.key()).isEqualTo("event:" + rejected.getEventId()));
    }

    @Test
    void aRecordRejectedBeforeIsOfferedAgainAndResolvedOnceTheDestinationTookIt() throws Throwable {
        retries.waiting(waiting(B, "{\"id\":2,\"email\":\"b@example.com\"}"));

        retries.offerAgain(writer);
        retries.resolved();

        assertThat(written).singleElement().satisfies(r -> assertThat(r.data()).containsEntry("Email", "b@example.com"));
        List<SpecificRecord> events = events();
        assertThat(events).map(e -> ((RejectedRecordsUpdated) e).getStatus()).containsExactly("retrying", "resolved");
        assertThat(((RejectedRecordsUpdated) events.get(1)).getRecordKeys()).containsExactly(B);
        assertThat(deletes()).extracting(RejectionSink.RetryRow::key).containsExactly(B);
        assertThat(stored.stream().flatMap(b -> b.logs().stream()).map(l -> l.message)).containsExactly(
                "1 records rejected before are offered again unless the source sends a newer version of them",
                "1 records of public.users rejected before are offered again",
                "1 records of public.users rejected before are written now");
    }

    @Test
    void aNewerVersionFromTheSourceSupersedesTheRecordWaitingUnderItsKey() throws Throwable {
        retries.waiting(waiting(B, "{\"id\":2,\"email\":\"old\"}"));

        retries.send("public.users", user(2, "b@example.com"), writer);
        retries.offerAgain(writer);
        retries.resolved();

        assertThat(written).as("the old version is not offered").hasSize(1);
        assertThat(deletes()).extracting(RejectionSink.RetryRow::key).containsExactly(B);
    }

    @Test
    void aRecordTheDestinationRefusesAgainStaysOpenAndSaysItSupersedesTheEarlierRejection() throws Throwable {
        retries.waiting(waiting(A, "{\"id\":1,\"email\":\"a@example.com\"}"));
        retries.offerAgain(writer);
        SourceMessage.RecordMessage sent = written.getFirst();

        retries.refused(sent, (MappedRecord) sent.data(), List.of(new Rejection.Reason("Email",
                Rejection.Code.DESTINATION_ERROR, "duplicate")));
        retries.resolved();

        var rejected = events().stream().filter(e -> e instanceof RecordsRejected)
                .flatMap(e -> ((RecordsRejected) e).getRejections().stream()).toList();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.getRecordKey()).isEqualTo(A);
            assertThat(r.getSupersedes()).isTrue();
        });
        assertThat(upserts()).extracting(RejectionSink.RetryRow::key).containsExactly(A);
        assertThat(deletes()).as("still open: not resolved").isEmpty();
    }

    @Test
    void onlyASyncOrRefreshThatAsksForItOffersRejectedRecordsAgain() {
        assertThat(ActivationRetries.offersRejectedAgain(Attempts.job(JobType.SYNC), true)).isTrue();
        assertThat(ActivationRetries.offersRejectedAgain(Attempts.job(JobType.REFRESH), true)).isTrue();
        assertThat(ActivationRetries.offersRejectedAgain(Attempts.job(JobType.SYNC), false)).isFalse();
        assertThat(ActivationRetries.offersRejectedAgain(Attempts.job(JobType.CLEAR), true)).isFalse();
    }
}
