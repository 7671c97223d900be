-- Schema changes a connection's policy did not apply on its own (ignore, disable, breaking), for review.
create table schema_change (
    id              bigserial primary key,
    connection_id   uuid        not null,
    catalog_version bigint      not null,
    diff            text        not null,
    breaking        text,
    status          text        not null check (status in ('pending', 'approved', 'superseded')),
    created_at      timestamptz not null
);
create index schema_change_connection on schema_change (connection_id, id desc);
