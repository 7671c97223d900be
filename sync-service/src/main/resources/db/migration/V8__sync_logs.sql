-- Sync logs written back (issue 22, item 1): per connection, the database (a postgres or postgres-table destination)
-- that gets syncline_audit.sync_runs, sync_changelog and sync_snapshot, and how many days the log keeps.
create table sync_log_settings (
    connection_id   uuid        primary key,
    destination_id  uuid        not null,
    retention_days  int         not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- What is still to be written there, oldest first: the record operations of an attempt (JSON lines, stored with the
-- state the destination acknowledged them with, so a restart neither loses nor invents any), and the end of an
-- attempt (its job's row of sync_runs). Written by any instance off the hot path, retried with backoff until it is.
create table sync_log_batch (
    id            bigserial   primary key,
    connection_id uuid        not null,
    job_id        bigint      not null,
    attempt       int         not null,
    kind          text        not null,   -- changes | run
    entries       int         not null,
    body          bytea,
    created_at    timestamptz not null default now(),
    tries         int         not null default 0,
    next_try_at   timestamptz not null default now(),
    last_error    text
);
alter table sync_log_batch alter column body set storage external;  -- JSON lines: not compressed again by TOAST
create index sync_log_batch_due on sync_log_batch (next_try_at, id);
create index sync_log_batch_connection on sync_log_batch (connection_id, id);

-- How far each connection's log is written: what the console shows as its lag.
create table sync_log_status (
    connection_id    uuid        primary key,
    written_at       timestamptz,
    written_entries  bigint      not null default 0,
    last_error       text,
    last_error_at    timestamptz,
    pruned_at        timestamptz
);
