package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * How the gateway keeps its hourly and daily rollups current.
 *
 * @param interval the pause between two passes of the rollup maintainer ({@code rollup.interval}),
 *     100 ms to 1 h: bucketed answers of 1 h and more may lag the raw readings by about this much
 * @throws IllegalArgumentException when the value is out of its range
 */
public record RollupConfig(Duration interval) {
    public RollupConfig {
        ConfigKey.ROLLUP_INTERVAL.checkDuration(interval);
    }
}
