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
