-- Shipped by service-kit. API keys by their SHA-256 (never the key): issued in connection-service, copied from
-- syncline.api-keys everywhere else. A revoked key keeps its row, so a late ApiKeyIssued cannot bring it back.
create table api_key (
    id          uuid        primary key,
    name        text        not null,
    prefix      text        not null,
    key_hash    text        not null unique,
    role        text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz,
    revoked_at  timestamptz
);
