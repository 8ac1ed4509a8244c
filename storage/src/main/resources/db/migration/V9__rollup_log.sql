-- Gardien schema v9: incremental rollups (issue 11).
--
-- V5 had the writers mark touched hours in rollup_dirty (INSERT ... ON CONFLICT DO NOTHING) while
-- the rollup pass deleted those marks and re-read every reading of each marked hour in the same
-- transaction: a writer inserting a mark that the pass had just deleted waited for the pass to
-- commit, and the pass cost grew with what the hour already held. Ingestion stalled for seconds.
--
-- Now each writer transaction appends one row here: what it adds to each (point, UTC hour) it
-- touches (count, sum, min, max, first and last value and time, increase), computed in memory and
-- encoded by RollupSegments. No unique key: writers only insert, passes only delete rows they
-- have read, so neither ever waits for the other. A pass appends the segments to the hour rows
-- (refolding an hour from its raw readings only when a segment overlaps what the row holds:
-- late data, a reading stored twice), and the series queries add what is still here to what is
-- folded, so an acknowledged reading is in every bucketed answer at once.
CREATE TABLE rollup_log (
    id       bigserial   PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    segments bytea       NOT NULL
);
-- Segments are doubles and times: compressing them costs CPU on the write path for little.
ALTER TABLE rollup_log ALTER COLUMN segments SET STORAGE EXTERNAL;

-- Hours still marked by V5's writers are refolded here, once, from their raw readings.
DELETE FROM readings_1h h USING rollup_dirty d WHERE h.point_id = d.point_id AND h.bucket = d.hour;

WITH r AS (
    SELECT DISTINCT ON (r.point_id, r.ts) r.point_id, d.hour, r.ts, r.value
    FROM rollup_dirty d JOIN readings r
      ON r.point_id = d.point_id AND r.ts >= d.hour AND r.ts < d.hour + interval '1 hour'
    WHERE r.value IS NOT NULL
    ORDER BY r.point_id, r.ts, r.value),
s AS (
    SELECT *, value - lag(value) OVER (PARTITION BY point_id, hour ORDER BY ts) AS step FROM r)
INSERT INTO readings_1h (point_id, bucket, count, sum, min, max, first_v, last_v, last_ts, increase)
SELECT point_id, hour, count(*), sum(value), min(value), max(value),
       (array_agg(value ORDER BY ts))[1], (array_agg(value ORDER BY ts DESC))[1], max(ts),
       coalesce(sum(greatest(step, 0)), 0)
FROM s GROUP BY point_id, hour;

CREATE TEMP TABLE v9_days ON COMMIT DROP AS
SELECT DISTINCT d.point_id, date_trunc('day', d.hour, s.timezone) AS day, s.timezone
FROM rollup_dirty d JOIN points p ON p.id = d.point_id JOIN sites s ON s.id = p.site_id;

DELETE FROM readings_1d d USING v9_days x WHERE d.point_id = x.point_id AND d.bucket = x.day;

WITH h AS (
    SELECT h.*, x.day, x.timezone,
           h.first_v - lag(h.last_v) OVER (PARTITION BY h.point_id, x.day ORDER BY h.bucket) AS step
    FROM v9_days x JOIN readings_1h h
      ON h.point_id = x.point_id AND h.bucket >= x.day AND h.bucket < x.day + interval '26 hours'
         AND date_trunc('day', h.bucket, x.timezone) = x.day)
INSERT INTO readings_1d (point_id, bucket, timezone, count, sum, min, max, first_v, last_v, last_ts, increase)
SELECT point_id, day, timezone, sum(count), sum(sum), min(min), max(max),
       (array_agg(first_v ORDER BY bucket))[1], (array_agg(last_v ORDER BY bucket DESC))[1], max(last_ts),
       sum(increase) + coalesce(sum(greatest(step, 0)), 0)
FROM h GROUP BY point_id, day, timezone;

DROP TABLE rollup_dirty;

-- The hourly continuous aggregate of TimescaleDB (made at start-up by earlier releases) is
-- retired: it answered as of its last refresh only, could not count a reading stored twice once,
-- and rolled every hour up a second time. readings_1h with the log serves 1 h buckets exactly,
-- on TimescaleDB as on plain PostgreSQL. (A no-op where it never existed.)
DROP MATERIALIZED VIEW IF EXISTS readings_1h_cagg;
