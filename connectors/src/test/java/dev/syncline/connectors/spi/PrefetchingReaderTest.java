package dev.syncline.connectors.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrefetchingReaderTest {

    /** A source of {@code rows} records (forever when negative), a state after each 100, failing after {@code failAfter}. */
    static class CountingSource implements MessageReader {
        final AtomicLong produced = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        final long rows;
        final long failAfter;

        CountingSource(long rows, long failAfter) {
            this.rows = rows;
            this.failAfter = failAfter;
        }

        @Override
        public boolean hasNext() {
            return rows < 0 || produced.get() < rows;
        }

        @Override
        public SourceMessage next() {
            long n = produced.incrementAndGet();
            if (n > failAfter) {
                throw new UncheckedConnectorException(new ConnectorException(ConnectorException.Type.TRANSIENT, "lost the source"));
            }
            if (n % 100 == 0) {
                return new SourceMessage.StateMessage(null, "s", null);
            }
            return new SourceMessage.RecordMessage(null, "s", Map.of("n", n), Instant.EPOCH);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void everyMessageArrivesInOrderAndStatesAreNotHeldBack() {
        CountingSource source = new CountingSource(10_050, Long.MAX_VALUE);
        List<Long> seen = new ArrayList<>();
        try (MessageReader r = new PrefetchingReader(source, 4, 64)) {
            while (r.hasNext()) {
                SourceMessage m = r.next();
                if (m instanceof SourceMessage.RecordMessage rec) {
                    seen.add((Long) rec.data().get("n"));
                } else {
                    seen.add(-1L);
                }
            }
            assertThat(r.hasNext()).isFalse();
        }
        assertThat(seen).hasSize(10_050);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo((i + 1) % 100 == 0 ? -1L : i + 1);
        }
        assertThat(source.closed).isTrue();
    }

    @Test
    void theSourceWaitsWhenTheWriterIsBehind() throws Exception {
        CountingSource endless = new CountingSource(-1, Long.MAX_VALUE);
        PrefetchingReader r = new PrefetchingReader(endless, 4, 50);
        r.next();
        // nobody reads: the source stops once the buffer is full (4 chunks, one being filled, the one handed out)
        long deadline = System.nanoTime() + 10_000_000_000L;
        long before;
        do {
            before = endless.produced.get();
            Thread.sleep(200);
        } while (endless.produced.get() != before && System.nanoTime() < deadline);
        assertThat(endless.produced.get()).as("the source stopped").isEqualTo(before);
        assertThat(endless.produced.get()).isLessThanOrEqualTo(6 * 50 + 2 * 2); // states cut a chunk short
        r.close();
        assertThat(endless.closed).isTrue();
    }

    @Test
    void aFailureArrivesAfterEveryMessageReadBeforeIt() {
        CountingSource failing = new CountingSource(-1, 250);
        try (MessageReader r = new PrefetchingReader(failing, 2, 64)) {
            int n = 0;
            while (n < 250) {
                assertThat(r.hasNext()).isTrue();
                r.next();
                n++;
            }
            assertThatThrownBy(r::hasNext).isInstanceOf(UncheckedConnectorException.class).hasMessageContaining("lost the source");
        }
    }

    @Test
    void aReaderThatBuffersItselfIsNotWrapped() {
        MessageReader buffered = new CountingSource(1, Long.MAX_VALUE) {
            @Override
            public boolean prefetches() {
                return true;
            }
        };
        assertThat(PrefetchingReader.wrap(buffered)).isSameAs(buffered);
        assertThat(PrefetchingReader.wrap(new CountingSource(1, Long.MAX_VALUE))).isInstanceOf(PrefetchingReader.class);
    }
}
