-- Gardien schema v14: which portfolio file is in force (issue 13, cluster mode).
--
-- Several processes share one database and each may hold a copy of the portfolio file. The one
-- that leads applies its file only when it is newer than the file last applied, recorded here by
-- its modification time and content digest, so that a process started with an old copy does not
-- revert the registry for everyone. The others follow the database: `version` grows at every
-- apply, and tells them the registry changed.
CREATE TABLE portfolio_applied (
    singleton       boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version         bigint      NOT NULL,
    file_modified   timestamptz NOT NULL,
    content_sha256  text        NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now(),
    applied_by      text        NOT NULL
);
