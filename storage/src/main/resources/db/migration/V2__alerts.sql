-- Gardien schema v2: the alert lifecycle (issue 3), its delivery outbox (issue 4), silences and
-- the rule engine's snapshots. Written by AlertStore.

-- One row per alert. While an alert is not resolved it is THE alert of its (rule, site,
-- equipment): the partial unique index below makes a duplicate impossible, even when two
-- transactions try to open it at once (the loser retries as a retrigger).
CREATE TABLE alerts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id          text        NOT NULL,
    site             text        NOT NULL,
    equipment        text        NOT NULL,
    severity         text        NOT NULL CHECK (severity IN ('info', 'warning', 'major', 'critical')),
    category         text        NOT NULL,
    urgency          text        NOT NULL CHECK (urgency IN ('immediate', 'within-days', 'planned')),
    state            text        NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    summary_fr       text        NOT NULL,
    summary_en       text        NOT NULL,
    -- {"from": ISO, "to": ISO, "figures": {name: number}}: aggregated figures only.
    explanation      jsonb       NOT NULL,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    occurrences      int         NOT NULL DEFAULT 1,
    -- Reopenings within the flap window; last_flap_at dates the latest one.
    flaps            int         NOT NULL DEFAULT 0,
    last_flap_at     timestamptz,
    -- Set when the condition cleared but the alert was kept open because it is flapping.
    cleared_at       timestamptz,
    acknowledged_by  text,
    acknowledged_at  timestamptz,
    resolved_by      text,
    resolved_at      timestamptz,
    resolution       text CHECK (resolution IN ('auto', 'manual', 'ticket')),
    resolution_note  text,
    -- Filled by the ticketing dispatcher (issue 4).
    ticket_connector text,
    ticket_ref       text,
    ticket_status    text,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alerts_resolved_has_resolution CHECK ((state = 'resolved') = (resolution IS NOT NULL))
);
CREATE UNIQUE INDEX alerts_one_active ON alerts (rule_id, site, equipment) WHERE state <> 'resolved';
CREATE INDEX alerts_reopen ON alerts (rule_id, site, equipment, resolved_at) WHERE state = 'resolved';
CREATE INDEX alerts_site_updated ON alerts (site, updated_at);

-- Append-only log of every transition. Its id is the SSE event id: AlertStore allocates ids
-- under a transaction-scoped advisory lock, so they commit in increasing order and a client
-- resuming after id N misses nothing.
CREATE TABLE alert_transitions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id    bigint      NOT NULL REFERENCES alerts (id),
    kind        text        NOT NULL CHECK (kind IN ('opened', 'retriggered', 'acknowledged', 'resolved', 'reopened')),
    at          timestamptz NOT NULL,
    by          text        NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}',
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_transitions_alert ON alert_transitions (alert_id, id);

-- Transactional outbox (issue 4): one row per transition, written in the transaction of the
-- transition. The idempotency key (alert id ':' transition id) is sent with every delivery
-- attempt so that a deduplicating receiver sees each transition once. connector is chosen by
-- the router (issue 4); NULL until then.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        bigint      NOT NULL REFERENCES alerts (id),
    transition_id   bigint      NOT NULL UNIQUE REFERENCES alert_transitions (id),
    idempotency_key text        NOT NULL UNIQUE,
    connector       text,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Maintenance windows: while one covers a (site, equipment, rule), a new alert is not opened.
-- NULL equipment or rule_id means every equipment / every rule of the site.
CREATE TABLE silences (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site       text        NOT NULL,
    equipment  text,
    rule_id    text,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    created_by text        NOT NULL,
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT silences_period CHECK (starts_at < ends_at)
);
CREATE INDEX silences_site_ends ON silences (site, ends_at);

-- The rule engine's snapshots, so that rule state survives a restart (issue 3).
CREATE TABLE rule_state (
    key      text PRIMARY KEY,
    state    jsonb       NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);
