/**
 * Sync logs written back (issue 22, item 1): a data activation connection may keep, in a PostgreSQL database of the
 * user's (a {@code postgres} or {@code postgres-table} destination), {@code syncline_audit.sync_runs},
 * {@code sync_changelog} and {@code sync_snapshot}. An attempt stores its acknowledged record operations as batches
 * ({@code sync_log_batch}) with its states; {@link dev.syncline.sync.synclog.SyncLogWriter} writes them there off the
 * sync's path, retrying with backoff while that database cannot take them, and {@code GET /connections/{id}/sync-logs}
 * shows how far behind it is.
 */
package dev.syncline.sync.synclog;
