package fr.gardien.gateway.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.storage.alerts.Alert;
import fr.gardien.storage.alerts.AlertTransition;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the privacy boundary lets out of an alert: the allow-list, and none of the data behind it. */
class PrivacyBoundaryTest {

    /** OutboundAlert is the allow-list of issue 4: a new component must be added here, visibly. */
    @Test
    void theAllowListIsExactlyTheseFields() {
        assertThat(Arrays.stream(OutboundAlert.class.getRecordComponents()).map(c -> c.getName()).toList())
                .containsExactly("alertId", "transition", "idempotencyKey", "site", "siteName", "equipment",
                        "equipmentType", "rule", "severity", "category", "urgency", "state", "summary", "firstSeen",
                        "lastSeen", "occurrences", "dashboardUrl");
    }

    /** Random alerts over a random portfolio: no reading, hidden figure, point, device, secret, token or person gets out. */
    @Test
    void randomAlertsCarryNoRawValueSeriesSecretOrPerson() {
        for (long seed = 1; seed <= 20; seed++) {
            RandomAlerts world = new RandomAlerts(seed);
            PrivacyBoundary boundary = new PrivacyBoundary("https://gardien.example/");
            for (int i = 0; i < 50; i++) {
                Alert alert = world.alert("");
                Set<String> forbidden = world.forbidden(alert);
                for (AlertTransition.Kind kind : AlertTransition.Kind.values()) {
                    AlertTransition transition = world.transition(alert, kind);
                    String language = i % 2 == 0 ? "fr" : "en";
                    OutboundAlert out = boundary.outbound(alert, transition, world.registry(), language);

                    String text = out.toString();
                    assertThat(forbidden.stream().filter(text::contains).toList()).as("seed %d", seed).isEmpty();
                    assertThat(out.summary()).isEqualTo("fr".equals(language)
                            ? alert.explanation().summaryFr() : alert.explanation().summaryEn());
                    assertThat(out.idempotencyKey()).isEqualTo(alert.id() + ":" + transition.id());
                    assertThat(out.transition()).isEqualTo(kind.code());
                    assertThat(out.dashboardUrl()).isEqualTo("https://gardien.example/#/alerts/" + alert.id());
                    assertThat(out.siteName()).startsWith("Résidence ");
                }
            }
        }
    }

    /** The generator does produce the texts the test looks for, so the test above can fail. */
    @Test
    void theForbiddenTextsAreReallyInTheInputs() {
        RandomAlerts world = new RandomAlerts(7);
        Alert alert = world.alert("");
        Set<String> forbidden = world.forbidden(alert);
        List<String> figures = alert.explanation().figures().values().stream()
                .map(v -> RandomAlerts.forms(v).get(0)).toList();
        assertThat(forbidden).containsAll(figures);
        assertThat(forbidden).contains(world.registry().pointsOfSite(alert.site()).get(0).key().toString());
        assertThat(forbidden).anyMatch(s -> s.startsWith("devsecret-")).anyMatch(s -> s.startsWith("gdn_"))
                .anyMatch(s -> s.startsWith("dev-"));
        assertThat(alert.toString()).contains(figures.get(0));
    }
}
