package fr.gardien.rules;

import java.util.Map;

/**
 * The state of one rule instance (a rule on one piece of equipment), as plain data for JSON.
 * Times are microseconds since the epoch, {@link Long#MIN_VALUE} for "never".
 *
 * @param fingerprint the rule's {@link RuleDefinition#fingerprint()}: a changed rule starts afresh
 * @param detector the detector's {@link fr.gardien.rules.detect.Detector#state()}
 * @param guard the {@code when:} guard's state, empty without a guard
 * @param condition the last combined condition (TRUE, FALSE, UNKNOWN)
 * @param trueSince onset of the current TRUE stretch
 * @param trueHeldMicros how long it has held (UNKNOWN periods excluded)
 * @param falseSince start of the current FALSE stretch after a raise
 * @param falseHeldMicros how long it has been false
 * @param raised whether a RAISED was emitted without its CLEARED
 */
public record InstanceSnapshot(String rule, String fingerprint, String site, String equipment,
        Map<String, Object> detector, Map<String, Object> guard, String detectorCondition, String guardCondition,
        String condition, long clock, long newestReading, long trueSince, long trueHeldMicros, long falseSince,
        long falseHeldMicros, boolean raised) {
}
