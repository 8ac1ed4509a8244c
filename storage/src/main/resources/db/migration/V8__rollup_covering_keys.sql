-- Gardien schema v8: the rollups' primary keys carry every column a query reads (issue 5's
-- performance targets). A year of daily rows for 1,000 points was 64,000 heap pages apart (each
-- point's days are written day after day among every other point's): with the columns in the
-- key's index, a query reads its point's index range only (an index-only scan, once autovacuum
-- has marked the pages all-visible, which it does after inserts since PostgreSQL 13).
ALTER TABLE readings_1h DROP CONSTRAINT readings_1h_pkey,
    ADD CONSTRAINT readings_1h_pkey PRIMARY KEY (point_id, bucket)
        INCLUDE (count, sum, min, max, first_v, last_v, last_ts, increase);
ALTER TABLE readings_1d DROP CONSTRAINT readings_1d_pkey,
    ADD CONSTRAINT readings_1d_pkey PRIMARY KEY (point_id, bucket)
        INCLUDE (timezone, count, sum, min, max, first_v, last_v, last_ts, increase);
