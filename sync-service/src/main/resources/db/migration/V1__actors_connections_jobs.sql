-- This service's copy of connections (from syncline.connections): the configuration is the Avro
-- ConnectionConfiguration of the latest event.
create table connection (
    id              uuid primary key,
    source_id       uuid        not null,
    destination_id  uuid        not null,
    status          text        not null,
    has_catalog     boolean     not null,
    configuration   bytea       not null,
    version         bigint      not null,
    deleted         boolean     not null default false,
    updated_at      timestamptz not null
);

create table job (
    id                bigserial primary key,
    connection_id     uuid        not null,
    job_type          text        not null,
    status            text        not null check (status in ('pending', 'running', 'incomplete', 'succeeded', 'failed', 'cancelled')),
    request_id        text        not null unique,
    requested_by      text        not null,
    attempt           int         not null default 0,
    created_at        timestamptz not null,
    started_at        timestamptz,
    ended_at          timestamptz,
    records_read      bigint      not null default 0,
    records_written   bigint      not null default 0,
    records_rejected  bigint      not null default 0,
    bytes_read        bigint      not null default 0,
    stream_stats      text,
    failure_message   text,
    failure_origin    text,
    failure_type      text
);
create index job_connection on job (connection_id, id desc);
create index job_pending on job (id) where status = 'pending';
