package fr.gardien.gateway.ingest;

import java.time.Duration;

/**
 * The checks every pack passes, whatever its protocol.
 *
 * @param maxPayloadBytes larger payloads are refused whole (HTTP 413, MQTT 0x99)
 * @param maxFuture readings timestamped further ahead of the gateway's clock are rejected
 * @param retention readings older than this would land in a dropped partition: rejected
 */
public record IngestLimits(int maxPayloadBytes, Duration maxFuture, Duration retention) {
    public IngestLimits {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive");
        }
        if (maxFuture.isNegative() || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("maxFuture must be >= 0 and retention > 0");
        }
    }
}
