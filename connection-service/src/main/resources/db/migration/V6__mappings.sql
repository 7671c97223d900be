-- Data activation: how source streams go to destination objects (JSON list), and the objects' fields at the time.
alter table connection add column mappings text;
