package dev.syncline.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BufferedWriterTest {

    /** Records every call the toolkit makes, in order. */
    static final class Recording extends BufferedWriter<Recording.Rows> {
        static final class Rows extends BufferedWriter.Buffer {
            long bytes;

            Rows(ConfiguredStream stream, int maxRows, long maxBytes) {
                super(stream, maxRows, maxBytes);
            }

            @Override
            protected long bytes() {
                return bytes;
            }
        }

        final List<String> calls = new ArrayList<>();

        Recording(WriteListener listener, int maxRows, long maxBytes, String... streams) {
            super(listener);
            for (String s : streams) {
                add(new Rows(stream(s), maxRows, maxBytes));
            }
        }

        @Override
        protected boolean append(Rows rows, SourceMessage.RecordMessage record) {
            if (record.data().get("id") == null) {
                reject(new Rejection(record, List.of(new Rejection.Reason("id", Rejection.Code.MISSING_REQUIRED, "no id"))));
                return false;
            }
            rows.bytes += 10;
            return true;
        }

        @Override
        protected void flush(Rows rows) {
            calls.add("flush " + rows.stream().stream().name() + " " + rows.take().stream().map(r -> r.data().get("id")).toList());
            rows.bytes = 0;
        }

        @Override
        protected void persist() {
            calls.add("persist");
        }

        @Override
        protected void finish() {
            calls.add("finish");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    static ConfiguredStream stream(String name) {
        Stream s = new Stream(null, name, List.of(Field.of("id", FieldType.INTEGER)), Set.of(SyncMode.FULL_REFRESH), false,
                List.of(), List.of());
        return new ConfiguredStream(s, s.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND, List.of(), List.of(),
                null, name);
    }

    static SourceMessage.RecordMessage record(String stream, Object id) {
        java.util.HashMap<String, Object> data = new java.util.HashMap<>();
        data.put("id", id);
        return new SourceMessage.RecordMessage(null, stream, data, null);
    }

    static SourceMessage.StateMessage state() {
        return new SourceMessage.StateMessage(null, "a", JsonNodeFactory.instance.objectNode());
    }

    final List<String> heard = new ArrayList<>();
    final WriteListener listener = new WriteListener() {
        @Override
        public void rejected(Rejection rejection) {
            heard.add("rejected " + rejection.record().stream());
        }

        @Override
        public void checkpointed(SourceMessage.StateMessage state) {
            heard.add("checkpointed");
        }
    };

    @Test
    void aBufferIsFlushedOnceItHoldsItsMostRows() throws Exception {
        Recording w = new Recording(listener, 2, Long.MAX_VALUE, "a");
        for (int i = 1; i <= 5; i++) {
            w.write(record("a", i));
        }
        assertThat(w.calls).containsExactly("flush a [1, 2]", "flush a [3, 4]");
    }

    @Test
    void aBufferIsFlushedOnceItHoldsItsMostBytes() throws Exception {
        Recording w = new Recording(listener, Integer.MAX_VALUE, 25, "a");
        for (int i = 1; i <= 4; i++) {
            w.write(record("a", i));
        }
        assertThat(w.calls).containsExactly("flush a [1, 2, 3]");
    }

    @Test
    void aCheckpointFlushesEveryStreamThenPersistsThenAcknowledges() throws Exception {
        Recording w = new Recording(listener, 100, Long.MAX_VALUE, "a", "b", "c");
        w.write(record("a", 1));
        w.write(record("b", 2));
        w.write(record("a", 3));
        w.checkpoint(state());
        // c holds nothing: not flushed
        assertThat(w.calls).containsExactly("flush a [1, 3]", "flush b [2]", "persist");
        assertThat(heard).containsExactly("checkpointed");
    }

    @Test
    void completeFlushesPersistsAndFinishesWithoutAcknowledging() throws Exception {
        Recording w = new Recording(listener, 100, Long.MAX_VALUE, "a");
        w.write(record("a", 1));
        w.complete();
        assertThat(w.calls).containsExactly("flush a [1]", "persist", "finish");
        assertThat(heard).isEmpty();
    }

    @Test
    void aRefusedRecordIsReportedAndNeverBuffered() throws Exception {
        Recording w = new Recording(listener, 100, Long.MAX_VALUE, "a");
        w.write(record("a", null));
        w.write(record("a", 2));
        w.checkpoint(state());
        assertThat(heard).containsExactly("rejected a", "checkpointed");
        assertThat(w.calls).containsExactly("flush a [2]", "persist");
    }

    @Test
    void aRecordOfAStreamOutsideTheCatalogFailsTheSync() {
        Recording w = new Recording(listener, 100, Long.MAX_VALUE, "a");
        assertThatThrownBy(() -> w.write(record("b", 1))).isInstanceOfSatisfying(ConnectorException.class,
                e -> assertThat(e.getMessage()).contains("unconfigured stream b"));
    }

    @Test
    void streamsWithANamespaceAreFoundByIt() throws Exception {
        Recording w = new Recording(listener, 1, Long.MAX_VALUE);
        Stream s = new Stream("ns", "a", List.of(Field.of("id", FieldType.INTEGER)), Set.of(SyncMode.FULL_REFRESH), false,
                List.of(), List.of());
        w.add(new Recording.Rows(new ConfiguredStream(s, s.fields(), SyncMode.FULL_REFRESH, DestinationSyncMode.APPEND,
                List.of(), List.of(), null, "a"), 1, Long.MAX_VALUE));
        w.write(new SourceMessage.RecordMessage("ns", "a", Map.of("id", 1L), null));
        assertThatThrownBy(() -> w.write(record("a", 2))).isInstanceOf(ConnectorException.class);
        assertThat(w.calls).containsExactly("flush a [1]");
    }
}
