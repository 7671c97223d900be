/**
 * The connector SPI: what sync-service and schema-service call, and the toolkit destinations build on.
 *
 * <h2>A destination's lifecycle</h2>
 * A {@link dev.syncline.connectors.spi.DestinationConnector} is one shared instance per connector type, used by
 * many threads at once ({@code check}, {@code refusals}, {@code open}). Each sync attempt opens its own
 * {@link dev.syncline.connectors.spi.RecordWriter}, driven by <b>one thread</b> of sync-service (the attempt's worker
 * thread), in this order:
 * <ol>
 * <li>{@code open(config, catalog, listener)} — once per attempt. Connects (checking the target against
 * {@link dev.syncline.connectors.reach.ConnectorReach}), refuses a catalog it cannot write (two streams onto one
 * table: {@link dev.syncline.connectors.sql.SqlTargets#checkDistinct}) and prepares each stream's tables, dropping
 * what a killed attempt left behind. A failure here leaves nothing behind.</li>
 * <li>{@code write(record)} — once per record the source emitted (after the mappers), in the source's order, for
 * streams of the catalog only. It may buffer: a record is durable only once a later {@code checkpoint} returns.</li>
 * <li>{@code checkpoint(state)} — once per state message of the source, after every record before it. Makes every
 * record written so far durable, reports each refused one ({@link dev.syncline.connectors.spi.WriteListener#rejected}),
 * then calls {@link dev.syncline.connectors.spi.WriteListener#checkpointed} with {@code state} exactly once before it
 * returns. sync-service commits the state only then: a state is never ahead of the data.</li>
 * <li>{@code complete()} — once, after the source is exhausted and its last checkpoint. Makes the sync visible (an
 * overwrite's replacement table swapped in). Only called when the attempt succeeds.</li>
 * <li>{@code close()} — always, last, completed or not (cancelled, the source or the destination failed, the service shutting down).
 * Without {@code complete()} it leaves the final tables as they were before the attempt. It may keep what it wrote
 * for a full refresh | overwrite stream (never visible in the final tables) when
 * {@link dev.syncline.connectors.spi.WriteListener#retryMayFollow} says a retry may resume from it.</li>
 * </ol>
 * A retry's catalog gives such a stream the last state the platform stored
 * ({@link dev.syncline.connectors.spi.ConfiguredStream#resumeState}); a writer that still holds exactly what it wrote
 * up to that state names the stream in {@link dev.syncline.connectors.spi.RecordWriter#resumed}, once open, and the
 * source then reads on from the state; otherwise the stream starts over (the default).
 * The listener is called only on the thread that drives the writer, from within {@code write}, {@code checkpoint} or
 * {@code complete}; a writer may use threads of its own (PostgreSQL's COPY loads on one) but waits for them before
 * it reports. A rejection is reported at the latest by the checkpoint that covers its record; nothing is dropped
 * silently.
 *
 * <h2>Which exception means retry</h2>
 * Every method reports failure as a {@link dev.syncline.connectors.spi.ConnectorException} whose
 * {@link dev.syncline.connectors.spi.ConnectorException.Type} decides what happens next:
 * <ul>
 * <li>{@code TRANSIENT} — a retry can help (the connection dropped, the server restarted, a deadlock: see
 * {@link dev.syncline.connectors.sql.SqlStates#isTransient}). The attempt fails and a new one starts after a
 * backoff, from the last acknowledged state.</li>
 * <li>{@code SYSTEM} — something failed that the user cannot fix by editing the config; also retried while the job
 * has attempts left, reported as a system error.</li>
 * <li>{@code CONFIG} — the config or catalog is wrong (bad password, missing table, two streams onto one table): the
 * job fails without a retry until the user changes it.</li>
 * </ul>
 * A record the destination refuses is not a failure: it is a {@link dev.syncline.connectors.spi.Rejection}, and the
 * sync goes on.
 *
 * <h2>The destination toolkit</h2>
 * {@link dev.syncline.connectors.spi.BufferedWriter} owns the plumbing of the lifecycle above (per-stream buffers,
 * flush by rows and bytes, flush-then-acknowledge, rejections); a destination implements {@code append} (called once
 * per record) and {@code flush} (called per full buffer and at each checkpoint), and optionally {@code persist}
 * (once per checkpoint, after every flush) and {@code finish} (once, at {@code complete}). SQL destinations extend
 * {@link dev.syncline.connectors.sql.SqlTableWriter} with a {@link dev.syncline.connectors.sql.SqlDialect}: tables,
 * staging, merge/dedup, swap and cleanup are the toolkit's, loading rows is the destination's.
 */
package dev.syncline.connectors.spi;
