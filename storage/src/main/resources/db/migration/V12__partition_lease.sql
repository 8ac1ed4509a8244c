-- Gardien schema v12: the workers' hold on the readings log's partitions (issue 13, cluster mode).
--
-- A worker assigned a partition raises its epoch and reads back the offset stored here; every
-- transaction that stores a batch of that partition moves the offset forward only WHERE the
-- epoch is still the one it holds. A worker that lost the partition (a rebalance, a pause past
-- its session timeout) can therefore not write anything more from it, and a reading
-- acknowledged by Kafka is stored exactly once: Kafka's own committed offsets are only advisory.
-- Rule state checkpoints sit beside the offset they reflect.
CREATE TABLE partition_lease (
    topic            text    NOT NULL,
    partition        integer NOT NULL,
    epoch            bigint  NOT NULL DEFAULT 0,
    -- The next offset to read: everything before it is stored.
    next_offset      bigint  NOT NULL DEFAULT 0,
    holder           text,
    acquired_at      timestamptz,
    PRIMARY KEY (topic, partition)
);
