-- This service's copy of every source and destination, built from syncline.actors (secrets stay encrypted).
create table actor (
    id              uuid primary key,
    kind            text        not null,
    name            text        not null,
    connector_type  text        not null,
    config          text        not null,
    version         bigint      not null,
    deleted         boolean     not null default false,
    updated_at      timestamptz not null
);

-- Discovery requests, run when the actor they name is known (events on two topics may arrive in any order).
create table discovery_request (
    request_id      text primary key,
    actor_id        uuid        not null,
    connection_id   text,
    status          text        not null check (status in ('pending', 'running', 'succeeded', 'failed')),
    message         text,
    requested_at    timestamptz not null,
    finished_at     timestamptz
);
create index discovery_request_pending on discovery_request (requested_at) where status = 'pending';

-- Every distinct catalog of an actor; an identical rediscovery keeps the version it had.
create table catalog_version (
    actor_id        uuid        not null,
    version         bigint      not null,
    hash            text        not null,
    catalog         text        not null,
    discovered_at   timestamptz not null,
    primary key (actor_id, version)
);
