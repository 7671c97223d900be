-- Shipped by service-kit; every service lists db/kit in quarkus.flyway.locations.
-- Events wait here, written in the same transaction as the change they describe, until the relay has
-- published them to Kafka (then they are deleted).
create table outbox_event (
    id           bigserial primary key,
    topic        text        not null,
    message_key  text        not null,
    event_type   text        not null,
    event_id     text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now()
);

-- Events a consumer has applied, so a redelivery has no second effect.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);

-- Events Kafka refused for good (cannot be serialized, too large): kept with the error instead of blocking
-- every event behind them. Nothing a service published is dropped.
create table outbox_parked (
    id           bigint      primary key,
    topic        text        not null,
    message_key  text        not null,
    event_type   text        not null,
    event_id     text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null,
    error        text        not null,
    parked_at    timestamptz not null default now()
);
