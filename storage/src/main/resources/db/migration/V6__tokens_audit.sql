-- Issue 5, access control: API tokens created through the API next to those of the portfolio
-- file, and the audit log of data access.

-- source: 'portfolio' (the file owns it: a reload upserts and deletes it) or 'api' (created by an
-- admin through POST /api/v1/tokens; a reload never touches it). API-created tokens are stored as
-- 'sha256$<hex>' of a 256-bit random token (see TokenApi), so they are found by hash in O(1).
ALTER TABLE api_tokens
    ADD COLUMN source     text        NOT NULL DEFAULT 'portfolio' CHECK (source IN ('portfolio', 'api')),
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN created_by text;

-- Who read or changed what, when, with which outcome (never a secret, token or body).
CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    role       text,
    method     text        NOT NULL,
    route      text        NOT NULL,
    path       text        NOT NULL,
    sites      text[]      NOT NULL DEFAULT '{}',
    parameters jsonb       NOT NULL DEFAULT '{}',
    status     int         NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at DESC, id DESC);
