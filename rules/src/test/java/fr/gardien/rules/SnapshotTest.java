package fr.gardien.rules;

import static fr.gardien.rules.Fixture.essentials;
import static fr.gardien.rules.Fixture.feed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gardien.rules.Fixture.In;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    /** An engine restored from a JSON snapshot taken mid-alert continues exactly as the original does. */
    @Test
    void aRestoredEngineContinuesIdentically() throws Exception {
        String yaml = RuleEngineTest.NO_HEAT + """
                  - id: pressure-falling
                    description: A pressure falling steadily is a leak in the heating circuit.
                    applies-to: [boiler]
                    inputs: {supply: supply_temp}
                    detector: rate-of-change
                    params: {signal: supply, window: 30m, below: -20}
                    severity: warning
                    category: heating
                    urgency: within-days
                    summary: {fr: "{rate_per_hour} par heure", en: "{rate_per_hour} per hour"}
                """;
        List<In> history = RuleEngineTest.coldSpell();
        int half = history.size() / 4; // mid-onset of the no-heat condition
        RuleEngine original = Fixture.engine(yaml, Duration.ofMinutes(10));
        feed(original, history.subList(0, half));

        ObjectMapper json = new ObjectMapper();
        String saved = json.writeValueAsString(original.snapshot());
        EngineSnapshot loaded = json.readValue(saved, EngineSnapshot.class);
        RuleEngine restored = Fixture.engine(yaml, Duration.ofMinutes(10));
        assertThat(restored.restore(loaded)).isEqualTo(3);

        List<RuleSignal> expected = feed(original, history.subList(half, history.size()));
        assertThat(expected).extracting(RuleSignal::ruleId).contains("boiler-no-heat", "pressure-falling");
        assertThat(essentials(feed(restored, history.subList(half, history.size())))).isEqualTo(essentials(expected));
    }

    /**
     * A site's state taken apart (a partition's checkpoint on a worker, issue 13) continues
     * identically in another engine; a reset leaves the engine as new.
     */
    @Test
    void aSitesStateTakenApartContinuesElsewhereAndResetForgetsIt() {
        List<In> history = RuleEngineTest.coldSpell();
        int quarter = history.size() / 4;
        RuleEngine original = Fixture.engine(RuleEngineTest.NO_HEAT, Duration.ofMinutes(10));
        feed(original, history.subList(0, quarter));
        String site = original.sites().iterator().next();
        assertThat(original.snapshot(s -> false).instances()).isEmpty();
        EngineSnapshot part = original.snapshot(site::equals);
        assertThat(part).isEqualTo(original.snapshot());

        RuleEngine taker = Fixture.engine(RuleEngineTest.NO_HEAT, Duration.ofMinutes(10));
        assertThat(taker.restore(part)).isEqualTo(part.instances().size());
        List<RuleSignal> expected = feed(original, history.subList(quarter, history.size()));
        assertThat(expected).isNotEmpty();
        assertThat(essentials(feed(taker, history.subList(quarter, history.size())))).isEqualTo(essentials(expected));

        original.reset(s -> false);
        assertThat(original.snapshot()).isNotEqualTo(Fixture.engine(RuleEngineTest.NO_HEAT, Duration.ofMinutes(10)).snapshot());
        original.reset(site::equals);
        assertThat(original.snapshot()).isEqualTo(Fixture.engine(RuleEngineTest.NO_HEAT, Duration.ofMinutes(10)).snapshot());
        assertThat(original.hasReadings(site)).isFalse();
    }

    /** A rule whose text changed starts afresh instead of taking the old rule's state. */
    @Test
    void aChangedRuleIsNotRestored() {
        RuleEngine original = Fixture.engine(RuleEngineTest.NO_HEAT, Duration.ZERO);
        feed(original, RuleEngineTest.coldSpell().subList(0, 20));
        RuleEngine changed = Fixture.engine(RuleEngineTest.NO_HEAT.replace("below: 40", "below: 42"), Duration.ZERO);
        assertThat(changed.restore(original.snapshot())).isEqualTo(1);
        RuleEngine rebuilt = original.rebuild(original.rules(), original.equipment());
        assertThat(rebuilt.snapshot()).isEqualTo(original.snapshot());
    }
}
