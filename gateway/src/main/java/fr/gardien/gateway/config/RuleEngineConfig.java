package fr.gardien.gateway.config;

import java.time.Duration;

/**
 * How the rule engine runs.
 *
 * @param lateness how late a reading may arrive (behind the newest of its rule instance) and
 *     still be evaluated as if it had come in order, 0 to 1 day; later ones are not evaluated
 * @param queueCapacity committed readings that may wait for the engine, 1,000 to 100,000,000
 * @throws IllegalArgumentException when a value is out of its range
 */
public record RuleEngineConfig(Duration lateness, int queueCapacity) {
    public RuleEngineConfig {
        ConfigKey.RULE_ENGINE_LATENESS.checkDuration(lateness);
        ConfigKey.RULE_ENGINE_QUEUE_CAPACITY.checkInt(queueCapacity);
    }
}
