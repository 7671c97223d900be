-- rejected_retry is upserted once per rejected record: its key compares as bytes, not by the locale's collation.
alter table rejected_retry
    alter column stream type text collate "C",
    alter column record_key type text collate "C";
