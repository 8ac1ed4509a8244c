-- Rollups of numeric readings (issue 5), kept current by the gateway (RollupStore).
--
-- readings_1h: one row per point and UTC hour. readings_1d: one row per point and local day of
-- the point's site, computed from readings_1h; this is exact because every hour of a day in a
-- zone with whole-hour offsets (all the product's zones: Europe/Paris, the overseas departments)
-- falls whole into that day. The planner falls back to hours or raw readings for a zone that has
-- a non-whole-hour offset in the requested range, and the maintainer rebuilds a point's days
-- when its site changes time zone (the zone used is kept on each row).
--
-- Each row keeps what lets buckets of any larger size be combined exactly: count, sum, min, max,
-- the first and last values, and "increase", the sum of the positive steps between consecutive
-- readings inside the row (a decrease is a meter reset or replacement: it adds nothing, the new
-- index counts from its first value). A bucket's delta is the sum of its rows' increases plus
-- the positive steps from each row's first value to the previous row's last value.
CREATE TABLE readings_1h (
    point_id int              NOT NULL,
    bucket   timestamptz      NOT NULL,
    count    bigint           NOT NULL,
    sum      double precision NOT NULL,
    min      double precision NOT NULL,
    max      double precision NOT NULL,
    first_v  double precision NOT NULL,
    last_v   double precision NOT NULL,
    last_ts  timestamptz      NOT NULL,
    increase double precision NOT NULL,
    PRIMARY KEY (point_id, bucket)
);

CREATE TABLE readings_1d (
    point_id int              NOT NULL,
    bucket   timestamptz      NOT NULL,  -- start of the local day
    timezone text             NOT NULL,
    count    bigint           NOT NULL,
    sum      double precision NOT NULL,
    min      double precision NOT NULL,
    max      double precision NOT NULL,
    first_v  double precision NOT NULL,
    last_v   double precision NOT NULL,
    last_ts  timestamptz      NOT NULL,
    increase double precision NOT NULL,
    PRIMARY KEY (point_id, bucket)
);

-- Hours whose readings changed since their rollup was computed: marked by the batch writer in the
-- transaction of the readings themselves (so a crash never leaves a stale rollup behind), claimed
-- and cleared by the maintainer.
CREATE TABLE rollup_dirty (
    point_id int         NOT NULL,
    hour     timestamptz NOT NULL,
    PRIMARY KEY (point_id, hour)
);

-- Hours already stored before this migration are rolled up by the maintainer's first passes.
INSERT INTO rollup_dirty (point_id, hour)
SELECT DISTINCT point_id, date_trunc('hour', ts, 'UTC') FROM readings WHERE value IS NOT NULL;
