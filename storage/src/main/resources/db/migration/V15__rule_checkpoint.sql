-- Gardien schema v14: rule state per partition of the readings log (issue 13, cluster mode).
--
-- The worker that holds a partition checkpoints the rule state of the partition's sites here,
-- with the offset of the log it reflects (every record before rule_offset has been evaluated).
-- The checkpoint is written only WHERE the epoch is still the writer's: a worker that lost the
-- partition cannot overwrite its successor's. A worker taking the partition restores it and
-- replays the log from rule_offset up to next_offset for rule evaluation only.
ALTER TABLE partition_lease
    ADD COLUMN rule_offset bigint,
    ADD COLUMN rule_state  jsonb,
    ADD COLUMN rule_saved_at timestamptz;
