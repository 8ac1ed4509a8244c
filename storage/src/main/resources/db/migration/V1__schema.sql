-- Gardien schema v1. Applied by Flyway from Database.open.

-- Registry: what exists and who may talk (RegistryStore). "position" keeps declaration order.
CREATE TABLE sites (
    id        text PRIMARY KEY,
    name      text NOT NULL,
    timezone  text NOT NULL,
    position  int  NOT NULL
);

CREATE TABLE equipment (
    site_id   text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    id        text NOT NULL,
    type      text NOT NULL,
    position  int  NOT NULL,
    PRIMARY KEY (site_id, id)
);

-- Point ids are never reused: a point removed from the portfolio is retired, not deleted, so
-- the readings stored under its id keep their meaning. No foreign key to sites or equipment,
-- for the same reason.
CREATE TABLE points (
    id             int  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key            text NOT NULL UNIQUE,
    site_id        text NOT NULL,
    equipment_id   text NOT NULL,
    name           text NOT NULL,
    equipment_type text NOT NULL,
    unit           text,
    category       text,
    position       int  NOT NULL,
    retired_at     timestamptz
);

CREATE TABLE devices (
    id          text PRIMARY KEY,
    site_id     text NOT NULL REFERENCES sites (id),
    secret_hash text NOT NULL,
    position    int  NOT NULL
);

CREATE TABLE api_tokens (
    name       text   PRIMARY KEY,
    token_hash text   NOT NULL,
    role       text   NOT NULL,
    sites      text[] NOT NULL,
    position   int    NOT NULL
);

-- Rejected records (contract: quarantine), listed newest first.
CREATE TABLE quarantine (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at timestamptz NOT NULL,
    protocol    text NOT NULL,
    device_id   text,
    reason      text NOT NULL,
    point_key   text,
    detail      text
);
CREATE INDEX quarantine_received_at ON quarantine (received_at);

-- Readings. The index on (point_id, ts) is deliberately NOT unique: an MQTT redelivery may
-- store a reading twice, and a duplicate must never make a COPY fail and lose a whole batch;
-- queries return duplicates once (SeriesStore). A string reading has a NULL value.
-- With TimescaleDB the table becomes a hypertable; without it, it is range-partitioned on ts
-- and PartitionManager keeps the partitions. ReadingsLayout applies the policies that depend
-- on configuration (chunk width, compression, retention) at every start.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        CREATE TABLE readings (
            point_id int              NOT NULL,
            ts       timestamptz      NOT NULL,
            value    double precision,
            text     text,
            CONSTRAINT readings_value_or_text CHECK (value IS NOT NULL OR text IS NOT NULL)
        );
    ELSE
        CREATE TABLE readings (
            point_id int              NOT NULL,
            ts       timestamptz      NOT NULL,
            value    double precision,
            text     text,
            CONSTRAINT readings_value_or_text CHECK (value IS NOT NULL OR text IS NOT NULL)
        ) PARTITION BY RANGE (ts);
    END IF;
END
$$;
CREATE INDEX readings_point_ts ON readings (point_id, ts);
