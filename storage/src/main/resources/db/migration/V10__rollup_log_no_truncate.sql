-- Gardien schema v10: autovacuum never truncates the rollup log (issue 11).
--
-- A pass deletes the log rows it folded, so the log's last pages are often empty; autovacuum then
-- truncated them, which takes an ACCESS EXCLUSIVE lock on the table: the ingest benchmark saw a
-- writer's INSERT into the log wait on it ("relation" lock). The log stays small, and its free
-- pages are reused by the next inserts.
ALTER TABLE rollup_log SET (vacuum_truncate = false);
