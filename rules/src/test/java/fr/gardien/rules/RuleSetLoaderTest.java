package fr.gardien.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class RuleSetLoaderTest {

    static final String VALID = """
            rules:
              - id: hot-water-storage-cold
                description: Below 55 °C legionella can grow in the storage tank.
                applies-to: [hot-water]
                inputs: {storage: storage_temp}
                optional-inputs: {outdoor: outdoor_temp}
                detector: threshold
                params: {signal: storage, below: 55, hysteresis: 1}
                when: {signal: outdoor, below: 15}
                for: 1h
                clear-after: 15m
                severity: major
                category: hot-water
                urgency: immediate
                window: {from: "01:00", to: "05:00"}
                summary:
                  fr: "Eau chaude à {value} °C depuis {duration}"
                  en: "Hot water at {value} °C for {duration} (outdoor {outdoor})"
            """;

    /** A complete rule is read with every field, in file order. */
    @Test
    void aValidRuleIsReadWithEveryField() throws RuleSetException {
        RuleSet set = RuleSetLoader.parse(VALID, "catalog.yaml");
        RuleDefinition rule = set.rule("hot-water-storage-cold").orElseThrow();
        assertThat(rule.appliesTo("hot-water")).isTrue();
        assertThat(rule.appliesTo("boiler")).isFalse();
        assertThat(rule.inputs()).containsEntry("storage", "storage_temp");
        assertThat(rule.optionalInputs()).containsEntry("outdoor", "outdoor_temp");
        assertThat(rule.holdFor()).isEqualTo(Duration.ofHours(1));
        assertThat(rule.clearAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(rule.severity()).isEqualTo(Severity.MAJOR);
        assertThat(rule.urgency()).isEqualTo(Urgency.IMMEDIATE);
        assertThat(rule.window()).contains(new LocalWindow(LocalTime.of(1, 0), LocalTime.of(5, 0)));
        assertThat(rule.guard()).isPresent();
        assertThat(rule.fingerprint()).hasSize(16);
    }

    /** Every error of a file is reported at once, each with the file, the line and the field's path. */
    @Test
    void everyErrorIsReportedAtOnceWithItsLine() {
        String yaml = """
                rules:
                  - id: Bad_Id
                    description: x
                    applies-to: [boiler]
                    inputs: {supply: supply_temp}
                    detector: threshold
                    params: {signal: supply, above: hot}
                    for: x
                    severity: urgent
                    category: heating
                    urgency: within-days
                    colour: red
                    summary: {fr: "a {nope}", en: "b"}
                  - id: second
                    description: y
                    applies-to: boiler
                    inputs: {supply: supply_temp}
                    detector: wobble
                    params: {}
                    severity: info
                    category: heating
                    urgency: planned
                    window: {from: "25:00", to: "05:00"}
                    summary: {fr: a}
                """;
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> RuleSetLoader.parse(yaml, "r.yaml"));
        assertThat(e.errors()).containsExactlyInAnyOrder(
                "r.yaml:2: rules[0].id: expected an id of lower-case letters, digits and dashes, got \"Bad_Id\"",
                "r.yaml:7: rules[0].params.above: expected a number, got \"hot\"",
                "r.yaml:8: rules[0].for: expected a duration such as 30m, got \"x\"",
                "r.yaml:9: rules[0].severity: expected one of info, warning, major, critical, got \"urgent\"",
                "r.yaml:13: rules[0].summary.fr: unknown placeholder {nope}; known: "
                        + "[duration, duration_minutes, equipment, since, site, threshold, value]",
                "r.yaml:12: rules[0].colour: unknown field",
                "r.yaml:18: rules[1].detector: unknown detector \"wobble\"; known: "
                        + "[threshold, impossible, missing-data, flatline, rate-of-change, floor-baseline, counter-wear, counter-ratio, short-cycling, "
                        + "baseline-anomaly, heating-curve, degree-day]",
                "r.yaml:23: rules[1].window.from: expected a local time such as 01:00, got \"25:00\"",
                "r.yaml:24: rules[1].summary: missing field \"en\"");
        assertThat(e.getMessage()).startsWith("9 errors in rules:");
    }

    /** Two rules with the same id, and a YAML syntax error, are reported with their lines. */
    @Test
    void duplicateIdsAndSyntaxErrorsNameTheirLine() {
        String twice = VALID + VALID.substring("rules:\n".length());
        RuleSetException e = catchThrowableOfType(RuleSetException.class, () -> RuleSetLoader.parse(twice, "a.yaml"));
        assertThat(e.errors()).containsExactly("a.yaml:19: rules[1].id: duplicate rule id \"hot-water-storage-cold\"");

        RuleSetException syntax = catchThrowableOfType(RuleSetException.class,
                () -> RuleSetLoader.parse("rules:\n  - id: a\n    description: [unclosed\n", "b.yaml"));
        assertThat(syntax.errors()).singleElement().asString().startsWith("b.yaml:");
    }

    /** Durations accept s, m, h, d and sums of them, and nothing else. */
    @Test
    void durationsAreSecondsMinutesHoursOrDays() {
        assertThat(fr.gardien.rules.yaml.MappingReader.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(fr.gardien.rules.yaml.MappingReader.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(fr.gardien.rules.yaml.MappingReader.parseDuration("3d")).isEqualTo(Duration.ofDays(3));
        assertThat(fr.gardien.rules.yaml.MappingReader.parseDuration("30")).isNull();
        assertThat(fr.gardien.rules.yaml.MappingReader.parseDuration("2w")).isNull();
    }
}
