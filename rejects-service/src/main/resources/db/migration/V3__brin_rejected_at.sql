-- rejected_at grows with the insertion order: a BRIN index serves the retention purge and time-range filters at a
-- fraction of a B-tree's cost per inserted row (rejections arrive thousands a second).
drop index rejected_record_time;
create index rejected_record_time on rejected_record using brin (rejected_at);
