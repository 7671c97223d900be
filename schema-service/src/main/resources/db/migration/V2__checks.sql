-- Checks ("test connection") share the discovery queue: same ordering, same wait for the actor to be known.
alter table discovery_request add column kind text not null default 'discover' check (kind in ('discover', 'check'));
