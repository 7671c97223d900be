-- The request inspector: the last requests an API destination sent in each attempt, and their answers, redacted by the
-- connector (credentials never stored), bodies cut at 8 KiB.
create table job_request (
    id        bigserial   primary key,
    job_id    bigint      not null,
    attempt   int         not null,
    at        timestamptz not null,
    exchange  text        not null  -- JSON: method, url, headers, bodies, status, millis, error
);
create index job_request_job on job_request (job_id, id);
