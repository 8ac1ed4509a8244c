package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * Limits applied to every incoming pack, whatever the protocol.
 *
 * @param maxPayloadBytes the largest accepted payload, 1 to 268,435,455 bytes
 * @param maxRecordsPerPack the most SenML records in one pack, 1 to 1,000,000
 * @param maxTopicLength the longest accepted MQTT topic, 1 to 65535 characters
 * @param maxFuture readings timestamped further than this in the future are rejected, 0 to 365 days
 * @throws IllegalArgumentException when a value is out of its range
 */
public record IngestConfig(int maxPayloadBytes, int maxRecordsPerPack, int maxTopicLength, Duration maxFuture) {
    public IngestConfig {
        ConfigKey.INGEST_MAX_PAYLOAD_BYTES.checkInt(maxPayloadBytes);
        ConfigKey.INGEST_MAX_RECORDS_PER_PACK.checkInt(maxRecordsPerPack);
        ConfigKey.INGEST_MAX_TOPIC_LENGTH.checkInt(maxTopicLength);
        ConfigKey.INGEST_MAX_FUTURE.checkDuration(maxFuture);
    }
}
