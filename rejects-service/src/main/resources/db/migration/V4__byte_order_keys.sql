-- The keys rejections are looked up by compare as bytes: a B-tree insert compares ~20 keys, and the database's
-- locale collation (strcoll) costs several times memcmp on every one, thousands of rows a second. Nothing sorts
-- these columns for people to read.
alter table rejected_record
    alter column event_id type text collate "C",
    alter column stream type text collate "C",
    alter column stream_namespace type text collate "C",
    alter column retry_key type text collate "C";
