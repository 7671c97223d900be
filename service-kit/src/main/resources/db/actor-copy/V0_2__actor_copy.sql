-- A service's copy of every source and destination, from syncline.actors (secrets stay encrypted).
create table actor_copy (
    id              uuid primary key,
    kind            text        not null,
    name            text        not null,
    connector_type  text        not null,
    config          text        not null,
    version         bigint      not null,
    deleted         boolean     not null default false,
    updated_at      timestamptz not null
);
