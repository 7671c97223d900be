-- Every record a destination refused; event_id makes a redelivered RecordRejected a no-op.
create table rejected_record (
    id                 bigserial primary key,
    event_id           text        not null unique,
    connection_id      uuid        not null,
    job_id             bigint      not null,
    attempt            int         not null,
    stream_namespace   text,
    stream             text        not null,
    destination_object text,
    insertion_method   text,
    record             text        not null,
    mapped_payload     text,
    reasons            text        not null,
    status             text        not null default 'open',
    rejected_at        timestamptz not null,
    received_at        timestamptz not null default now()
);
create index rejected_record_connection on rejected_record (connection_id, id);
create index rejected_record_job on rejected_record (job_id, id);
