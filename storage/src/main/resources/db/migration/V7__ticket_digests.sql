-- Gardien schema v7: the per-route daily ticket budget per site and its digest tickets (issue 4).

-- Tickets opened per (route, site, local day of the site): the budget's counter. One upsert per
-- ticket-opening delivery, so that concurrent dispatchers cannot overspend it.
CREATE TABLE ticket_budgets (
    route text    NOT NULL,
    site  text    NOT NULL,
    day   date    NOT NULL,
    used  int     NOT NULL,
    PRIMARY KEY (route, site, day)
);

-- One digest ticket per (route, site, local day) groups the alerts beyond the budget. It is due
-- when the site's day ends (later when the route's quiet hours say so) and delivered like an
-- outbox row: claims, backoff, dead letter, admin retry, audit.
CREATE TABLE ticket_digests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    route           text        NOT NULL,
    site            text        NOT NULL,
    day             date        NOT NULL,
    connector       text        NOT NULL,
    budget          int         NOT NULL,
    alerts          int         NOT NULL DEFAULT 0,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    ticket_ref      text,
    last_error      text,
    idempotency_key text        NOT NULL UNIQUE,
    UNIQUE (route, site, day)
);
CREATE INDEX ticket_digests_due ON ticket_digests (connector, next_attempt_at) WHERE status = 'pending';

-- An outbox row grouped into a digest is 'digested': it is not sent on its own, and neither are
-- the later transitions of its alert (they have no ticket of their own to update).
ALTER TABLE outbox ADD COLUMN digest_id bigint REFERENCES ticket_digests (id);
CREATE INDEX outbox_digest ON outbox (digest_id) WHERE digest_id IS NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'delivered', 'dead', 'skipped', 'digested'));

-- The audit covers digest deliveries too: a row is about an outbox row or a digest.
ALTER TABLE deliveries ALTER COLUMN outbox_id DROP NOT NULL;
ALTER TABLE deliveries ALTER COLUMN alert_id DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN digest_id bigint REFERENCES ticket_digests (id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_subject CHECK ((outbox_id IS NULL) <> (digest_id IS NULL));
ALTER TABLE deliveries DROP CONSTRAINT deliveries_outcome_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_outcome_check
    CHECK (outcome IN ('delivered', 'retry', 'dead', 'skipped', 'digested'));
CREATE INDEX deliveries_digest ON deliveries (digest_id, id) WHERE digest_id IS NOT NULL;
