-- Sources and destinations: both are actors, told apart by kind. Secret config values are stored encrypted.
create table actor (
    id              uuid primary key,
    kind            text        not null check (kind in ('source', 'destination')),
    name            text        not null,
    connector_type  text        not null,
    config          text        not null,
    version         bigint      not null default 1,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- The latest catalog discovered for each source (from SchemaDiscovered / SchemaDiscoveryFailed).
create table source_catalog (
    source_id       uuid primary key references actor (id),
    status          text        not null check (status in ('pending', 'discovered', 'failed')),
    catalog         text,
    catalog_version bigint,
    message         text,
    updated_at      timestamptz not null
);

create table connection (
    id                    uuid primary key,
    name                  text        not null,
    source_id             uuid        not null references actor (id),
    destination_id        uuid        not null references actor (id),
    status                text        not null,
    schedule              text        not null,
    namespace_definition  text        not null,
    namespace_format      text,
    prefix                text,
    configured_catalog    text,
    version               bigint      not null default 1,
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
create index connection_source on connection (source_id);
