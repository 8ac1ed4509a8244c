package fr.gardien.rules;

import fr.gardien.rules.detect.DetectorFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One rule of a rule file, validated. Describes itself for the API ({@code GET /api/v1/rules}):
 * everything but the detector's factories is plain data.
 *
 * @param id {@code [a-z0-9-]+}, unique in its set
 * @param description why the rule exists, for the people who read alerts
 * @param appliesTo the equipment types it watches ({@code *} for every type)
 * @param inputs role name → point name, each required for the rule to apply to an equipment
 * @param optionalInputs role name → point name, used when the equipment (or its site's
 *     {@code weather} equipment) has the point
 * @param detector the detector kind's name, as written in the file
 * @param detectorFactory the configured detector
 * @param holdFor how long the condition must hold before {@link RuleSignal.Kind#RAISED} (YAML {@code for})
 * @param clearAfter how long it must be false before {@link RuleSignal.Kind#CLEARED}
 * @param category for routing: heating, hot-water, lift, ventilation, water, energy, climate, sensor…
 * @param window the local-time window outside which the condition is UNKNOWN, if any
 * @param guard the {@code when:} condition (a threshold) outside which the condition is FALSE, if any
 * @param summaryFr the French summary template, with {@code {placeholders}}
 * @param summaryEn the English summary template
 * @param fingerprint a digest of the rule's text: a snapshot is restored only into the same rule
 */
public record RuleDefinition(String id, String description, Set<String> appliesTo, Map<String, String> inputs,
        Map<String, String> optionalInputs, String detector, DetectorFactory detectorFactory, Duration holdFor,
        Duration clearAfter, Severity severity, String category, Urgency urgency, Optional<LocalWindow> window,
        Optional<DetectorFactory> guard, String summaryFr, String summaryEn, String fingerprint) {

    public RuleDefinition {
        appliesTo = Set.copyOf(appliesTo);
        inputs = Map.copyOf(inputs);
        optionalInputs = Map.copyOf(optionalInputs);
    }

    /** Whether the rule watches equipment of that type. */
    public boolean appliesTo(String equipmentType) {
        return appliesTo.contains("*") || appliesTo.contains(equipmentType);
    }
}
