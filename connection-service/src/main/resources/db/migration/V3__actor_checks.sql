-- The last "test connection" of each source and destination.
alter table actor add column check_status text not null default 'pending';
alter table actor add column check_message text;
alter table actor add column check_request_id text;
alter table actor add column checked_at timestamptz;
