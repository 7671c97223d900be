package dev.syncline.sync.job;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** Records read, written and rejected, bytes read, and the same per stream: one attempt's, or all a job's attempts'. */
@Embeddable
public class Counts {
    @Column(name = "records_read", nullable = false)
    public long recordsRead;

    @Column(name = "records_written", nullable = false)
    public long recordsWritten;

    @Column(name = "records_rejected", nullable = false)
    public long recordsRejected;

    @Column(name = "bytes_read", nullable = false)
    public long bytesRead;

    /** JSON list of per-stream counts ({@link SyncStats.Stream}). */
    @Column(name = "stream_stats")
    public String streamStats;

    /** The counts of an attempt so far. */
    void set(SyncStats stats, String statsJson) {
        recordsRead = stats.recordsRead();
        recordsWritten = stats.recordsWritten();
        recordsRejected = stats.recordsRejected();
        bytesRead = stats.bytesRead();
        streamStats = statsJson;
    }

    /** Adds an attempt's totals (the per-stream counts are merged apart: {@link SyncStats#merge}). */
    void add(SyncStats stats) {
        recordsRead += stats.recordsRead();
        recordsWritten += stats.recordsWritten();
        recordsRejected += stats.recordsRejected();
        bytesRead += stats.bytesRead();
    }

    /** These counts plus those of {@code running} (null: none). */
    long readWith(Counts running) {
        return recordsRead + (running == null ? 0 : running.recordsRead);
    }

    long writtenWith(Counts running) {
        return recordsWritten + (running == null ? 0 : running.recordsWritten);
    }

    long rejectedWith(Counts running) {
        return recordsRejected + (running == null ? 0 : running.recordsRejected);
    }

    long bytesWith(Counts running) {
        return bytesRead + (running == null ? 0 : running.bytesRead);
    }
}
