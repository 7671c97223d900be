alter table connection add column retry_rejected_records boolean not null default true;
