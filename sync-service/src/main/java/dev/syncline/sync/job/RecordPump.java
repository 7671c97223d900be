package dev.syncline.sync.job;

import dev.syncline.connectors.spi.MessageReader;
import dev.syncline.connectors.spi.RecordWriter;

/**
 * Moves a source's messages into the destination on the attempt's thread: records (through the activation mapping
 * when there is one), checkpoints, and the source's own rejections. Between messages it stops when the job is
 * cancelled ({@link AttemptScope.Cancelled}), flushes the rejection sink when it is full and lets the scope report
 * progress.
 * <p>
 * Reader and writer run on one thread, so the writer's pace is the reader's: backpressure without a queue, and memory
 * stays flat whatever the row count. {@link BoundedPump} reads until the source has no more messages; a continuous
 * source (change data capture) gets a pump of its own that checkpoints on time and ends only when cancelled.
 */
interface RecordPump {
    /**
     * Pumps until the pump's end; a connector's failure comes as a {@link StageFailure} that says whether the source or
     * the destination failed, and on which stream.
     */
    void pump(MessageReader reader, RecordWriter writer) throws Throwable;
}
