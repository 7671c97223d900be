-- A RecordsRejected event carries 500 rejections (~200 kB): PostgreSQL compressed each such payload on insert only for
-- the relay to read it back and delete it a moment later. Stored out of line, uncompressed: a sync rejecting every
-- record spent more CPU compressing its outbox than on anything else in the database.
alter table outbox_event alter column payload set storage external;
