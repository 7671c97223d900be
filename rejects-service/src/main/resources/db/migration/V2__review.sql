-- Review of rejected records: the record's key (a later rejection of the same key supersedes this one, a later
-- write resolves it), the reason codes and fields for filtering, when the status last changed.
alter table rejected_record
    add column record_key        text,
    -- the key sync-service keeps the record under to offer it again: the record key, else 'event:<eventId>'
    add column retry_key         text,
    add column reason_codes      text not null default '',
    add column reason_fields     text not null default '',
    add column status_changed_at timestamptz,
    add column status_job_id     bigint;
update rejected_record set retry_key = 'event:' || event_id where retry_key is null;
alter table rejected_record alter column retry_key set not null;
alter table rejected_record add constraint rejected_record_status
    check (status in ('open', 'retrying', 'resolved', 'superseded', 'dismissed'));
create index rejected_record_key on rejected_record (connection_id, stream, retry_key) where status in ('open', 'retrying');
create index rejected_record_status on rejected_record (connection_id, status, id);
create index rejected_record_time on rejected_record (rejected_at);
