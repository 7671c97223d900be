-- The sync engine: attempts with their failures, retries with backoff, cancel, schedules, clear and refresh,
-- per-stream state checkpoints and per-attempt logs.
alter table job
    add column next_attempt_at  timestamptz,
    add column heartbeat_at     timestamptz,
    -- the instance running it (random per process)
    add column runner           text,
    add column cancel_requested boolean not null default false,
    add column scheduled_for    timestamptz,
    add column refresh_mode     text,
    -- JSON list of {"namespace","name"} the clear or refresh is limited to; null: every stream
    add column scope            text,
    add column failure_retryable boolean,
    add column failure_stream   text;
create index job_due on job (next_attempt_at) where status = 'incomplete';
create index job_running on job (heartbeat_at) where status = 'running';

create table attempt (
    job_id            bigint      not null references job (id) on delete cascade,
    number            int         not null,
    status            text        not null check (status in ('running', 'succeeded', 'failed', 'cancelled')),
    started_at        timestamptz not null,
    ended_at          timestamptz,
    records_read      bigint      not null default 0,
    records_written   bigint      not null default 0,
    records_rejected  bigint      not null default 0,
    bytes_read        bigint      not null default 0,
    stream_stats      text,
    failure_message   text,
    failure_origin    text,
    failure_type      text,
    failure_retryable boolean,
    failure_stream    text,
    primary key (job_id, number)
);

create table job_log (
    id        bigserial primary key,
    job_id    bigint      not null references job (id) on delete cascade,
    attempt   int         not null,
    at        timestamptz not null,
    level     text        not null,
    message   text        not null
);
create index job_log_job on job_log (job_id, id);

-- The last state of each stream the destination acknowledged: the next attempt or sync reads from there.
create table stream_state (
    connection_id uuid        not null,
    stream        text        not null,
    state         text        not null,
    job_id        bigint      not null,
    updated_at    timestamptz not null,
    primary key (connection_id, stream)
);

alter table connection
    add column created_at           timestamptz,
    add column last_scheduled_for   timestamptz,
    add column consecutive_failures int not null default 0,
    add column status_reason        text;
