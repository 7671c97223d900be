-- A redelivered message is recognised by its own eventId in processed_event (one row per RecordsRejected, ~500
-- records), no longer by a unique index on every record's eventId: inserting into that index and checking it was a
-- fifth of the database's work per rejection. Records stored alone (a message that could not be stored whole) are
-- logged there by their own eventId. A message stored before this migration and delivered again after it (its offset
-- not yet committed when the service stopped) is stored again: stop rejects-service after its consumer caught up.
alter table rejected_record drop constraint if exists rejected_record_event_id_key;
