-- Which connection writes each table of a destination: one table, one connection, enforced here rather than by a
-- check before the insert (20 concurrent creates once gave 15 owners). Rows follow the connection's streams in the
-- transaction that changes them; a deleted connection's rows go. table_name is namespace.table as the destination
-- names it (normalised: lower case letters, digits and underscores), stream the stream writing it. Rows for the
-- connections that existed before this table are added by V9 (Java: the names are normalised as the writers do).
create table destination_table (
    destination_id  uuid not null,
    table_name      text not null,
    connection_id   uuid not null references connection (id) on delete cascade,
    stream          text not null,
    primary key (destination_id, table_name)
);
create index destination_table_connection on destination_table (connection_id);
