-- Alert rules: where a connection's notifications go (or every connection's: connection_id null), for which events.
create table notification_rule (
    id                uuid        primary key,
    connection_id     uuid,
    name              text        not null,
    url               text        not null,  -- encrypted (enc:v1:...): a Slack or Teams webhook URL is a credential itself
    url_shown         text        not null,  -- scheme://host/... as answers and pages show it
    format            text        not null,  -- json or slack
    secret            text,                  -- encrypted HMAC key; null: deliveries are not signed
    events            text        not null,  -- comma-separated: sync_failed, sync_recovered, rejected_records, ...
    rejected_percent  numeric(6, 3),
    from_connection_field boolean not null default false, -- made from a connection's notificationWebhook
    created_at        timestamptz not null,
    updated_at        timestamptz not null
);
create index notification_rule_connection on notification_rule (connection_id);

-- Per rule and connection, whether a condition is on (a failing sync, too many rejections): each change is told once.
create table notification_state (
    rule_id        uuid        not null,
    connection_id  uuid        not null,
    condition      text        not null,
    firing         boolean     not null,
    changed_at     timestamptz not null,
    primary key (rule_id, connection_id, condition)
);

-- Every notification made, and what became of it: sent, retried, given up.
create table notification_delivery (
    id               uuid        primary key,
    rule_id          uuid        not null,
    connection_id    uuid,
    event            text        not null,
    summary          text        not null,
    payload          text        not null,  -- the event as JSON; holds no secret
    status           text        not null,  -- pending, delivered, failed
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    last_status      int,
    last_error       text,
    created_at       timestamptz not null,
    delivered_at     timestamptz,
    test             boolean     not null default false
);
create index notification_delivery_due on notification_delivery (next_attempt_at) where status = 'pending';
create index notification_delivery_connection on notification_delivery (connection_id, created_at desc);
