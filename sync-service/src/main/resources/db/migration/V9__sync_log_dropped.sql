-- Sync-log batches older than their connection's retention are dropped rather than kept for a database that never
-- comes back: how many operations went that way, shown with the connection's sync-log status.
alter table sync_log_status add column dropped_entries bigint not null default 0;
