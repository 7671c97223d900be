-- Everything the seed's "Configure connection" step sets, beyond name, schedule, namespace and prefix.
alter table connection add column sync_mode_preset text not null default 'replicate_source';
alter table connection add column tags text not null default '[]';
alter table connection add column schema_change_policy text not null default 'propagate_columns';
alter table connection add column backfill_new_columns boolean not null default false;
alter table connection add column notification_webhook text;
-- what the user asked for per stream, kept so a later catalog is configured the same way
alter table connection add column stream_requests text;

create table tag (
    id          uuid primary key,
    name        text        not null unique,
    color       text        not null,
    created_at  timestamptz not null
);
