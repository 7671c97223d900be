-- Each stream's generation (the Airbyte protocol's generation id): 0 until its first clear or refresh, then one more
-- per clear or refresh job. Every row a sync writes carries it (_syncline_generation_id), so the rows of an older
-- generation are told apart. Not reset by a clear, unlike stream_state.
create table stream_generation (
    connection_id uuid   not null,
    stream        text   not null,
    generation_id bigint not null,
    -- the clear or refresh job that made this generation: its retries keep it instead of making another
    job_id        bigint not null,
    primary key (connection_id, stream)
);
