-- Data activation: records a destination rejected, offered again at the next sync until they are written, a newer
-- version of the same key replaces them, or the user dismisses them. One row per record key (the latest rejection);
-- a record without a key is kept under 'event:<eventId>'.
create table rejected_retry (
    connection_id uuid        not null,
    stream        text        not null,
    record_key    text        not null,
    record        text        not null,
    event_id      text        not null,
    job_id        bigint      not null,
    rejected_at   timestamptz not null default now(),
    primary key (connection_id, stream, record_key)
);
