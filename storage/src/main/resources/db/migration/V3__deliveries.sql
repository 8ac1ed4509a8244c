-- Gardien schema v3: ticket delivery (issue 4).

-- An outbox row the router sent nowhere (no route and no default, or its category disabled on
-- the matching route) is 'skipped', with the reason in last_error: kept, visible, never sent.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'delivered', 'dead', 'skipped'));

-- The dispatcher delivers the transitions of one alert in order: a row waits while an older
-- pending row of its alert exists (the ticket must be created before it is updated).
CREATE INDEX outbox_alert_pending ON outbox (alert_id, id) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);

-- The audit of every delivery try (issue 4: "every delivery is auditable through the API").
-- error is the connector's safe text: no secret, no payload.
CREATE TABLE deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id       bigint      NOT NULL REFERENCES outbox (id),
    alert_id        bigint      NOT NULL REFERENCES alerts (id),
    connector       text,
    attempt         int         NOT NULL,
    at              timestamptz NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead', 'skipped')),
    status_code     int,
    error           text,
    idempotency_key text        NOT NULL
);
CREATE INDEX deliveries_alert ON deliveries (alert_id, id);
CREATE INDEX deliveries_outbox ON deliveries (outbox_id, id);
