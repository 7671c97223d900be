-- What happened to a connection, newest last: settings, state changes, schema changes, sync results.
create table timeline_event (
    id             bigserial primary key,
    connection_id  uuid        not null,
    occurred_at    timestamptz not null,
    kind           text        not null,
    actor          text        not null,
    summary        text        not null,
    details        text
);
create index timeline_event_connection on timeline_event (connection_id, id desc);
