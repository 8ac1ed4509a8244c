package fr.gardien.sim.eval;

import static org.assertj.core.api.Assertions.assertThat;

import fr.gardien.sim.fault.Truth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchingTest {
  private static final Instant FROM = Instant.parse("2026-10-01T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofDays(14));
  private static final Map<String, RuleInfo> RULES = Map.of(
      "lift-out-of-service", new RuleInfo("lift-out-of-service", "threshold", Duration.ofMinutes(15), Duration.ZERO, null),
      "sensor-offline-heating", new RuleInfo("sensor-offline-heating", "missing-data", Duration.ZERO,
          Duration.ofMinutes(45), null),
      "heating-no-heat", new RuleInfo("heating-no-heat", "threshold", Duration.ofMinutes(30), Duration.ZERO, null),
      "heating-delta-t-collapse", new RuleInfo("heating-delta-t-collapse", "threshold", Duration.ofHours(2),
          Duration.ZERO, null));

  private static Truth.Entry fault(String type, String site, String equipment, Instant start, Duration d, String... rules) {
    return new Truth.Entry(type, site, equipment, "", List.of(), start, start.plus(d), List.of(rules), Map.of(), 0);
  }

  private static Alert alert(long id, String site, String equipment, String rule, Instant first) {
    return new Alert(id, site, equipment, rule, "resolved", first, first.plus(Duration.ofMinutes(20)));
  }

  private static Instant day(int d, int h, int m) {
    return FROM.plus(Duration.ofDays(d)).plus(Duration.ofHours(h)).plus(Duration.ofMinutes(m));
  }

  /**
   * A site whose field gateway clock runs 50 s behind stamps a fault's first readings, and the alert
   * on them, before the fault's true start: judged from the start its readings carry (the shift the
   * truth records), the alert detects the fault and is not a false alert. Without the shift, the
   * same alert was both a miss and a false alert (issue 16's held-out runs).
   */
  @Test
  void aFaultsStartIsJudgedAsTheSitesClockStampsIt() {
    Instant start = day(2, 6, 0);
    Truth.Entry plain = fault("sensor-spike", "a", "boiler-1", start, Duration.ofMinutes(3), "heating-no-heat");
    Truth.Entry drifting = new Truth.Entry(plain.type(), plain.site(), plain.equipment(), "", List.of(), plain.start(),
        plain.end(), plain.expectedRules(), Map.of(), 0, plain.set(), -1, -50);
    List<Alert> alerts = List.of(alert(1, "a", "boiler-1", "heating-no-heat", start.minusSeconds(40)));

    Matching.Result judged = Matching.match(new Truth.Run(FROM, TO, List.of("a"), 1, List.of(drifting)), alerts, RULES,
        Duration.ofHours(1));
    assertThat(judged.faults().get(0).detected()).isTrue();
    assertThat(judged.faults().get(0).timeToDetect()).isEqualTo(Duration.ofSeconds(10));
    assertThat(judged.falseOnHealthy()).isEmpty();

    Matching.Result unshifted = Matching.match(new Truth.Run(FROM, TO, List.of("a"), 1, List.of(plain)), alerts, RULES,
        Duration.ofHours(1));
    assertThat(unshifted.faults().get(0).detected()).isFalse();
    assertThat(unshifted.falseOnHealthy()).hasSize(1);
  }

  /** A fault is detected by the first alert of an expected rule on its equipment between its start and its end plus the tolerance. */
  @Test
  void aFaultIsDetectedByTheFirstExpectedAlertOnItsEquipmentInItsSpan() {
    Truth.Entry boiler = fault("boiler-failure", "a", "boiler-1", day(2, 6, 0), Duration.ofHours(6),
        "heating-no-heat", "heating-delta-t-collapse");
    Truth.Entry lift = fault("lift-stuck", "a", "lift-a", day(3, 8, 0), Duration.ofHours(2), "lift-out-of-service");
    Truth.Entry missed = fault("lift-stuck", "b", "lift-a", day(4, 8, 0), Duration.ofHours(2), "lift-out-of-service");
    Truth.Run run = new Truth.Run(FROM, TO, List.of("a", "b"), 1, List.of(boiler, lift, missed));
    List<Alert> alerts = List.of(
        alert(1, "a", "boiler-1", "heating-delta-t-collapse", day(2, 8, 1)),
        alert(2, "a", "boiler-1", "heating-no-heat", day(2, 6, 48)),
        alert(3, "a", "lift-a", "lift-out-of-service", day(3, 8, 16)),
        // Same rule, wrong site; and the right equipment, but after the end plus the tolerance.
        alert(4, "a", "lift-a", "lift-out-of-service", day(4, 8, 16)),
        alert(5, "b", "lift-a", "lift-out-of-service", day(4, 11, 1)));

    Matching.Result r = Matching.match(run, alerts, RULES, Duration.ofHours(1));

    assertThat(r.faults().get(0).detectedBy().id()).isEqualTo(2);
    assertThat(r.faults().get(0).timeToDetect()).isEqualTo(Duration.ofMinutes(48));
    assertThat(r.faults().get(0).minimum()).isEqualTo(Duration.ofMinutes(30));
    assertThat(r.faults().get(0).target()).isEqualTo(Duration.ofMinutes(40));
    assertThat(r.faults().get(1).timeToDetect()).isEqualTo(Duration.ofMinutes(16));
    assertThat(r.faults().get(1).target()).isEqualTo(Duration.ofMinutes(25));
    assertThat(r.faults().get(2).detected()).isFalse();
    assertThat(r.falseOnHealthy()).extracting(Alert::id).containsExactly(4L, 5L);
    assertThat(r.falseOnFaulty()).isEmpty();
  }

  /**
   * The target is the detecting rule's own minimum duration (its for plus its detector's span, as
   * the gateway serves them) plus 10 min; a rule's local-time window adds nothing to it.
   */
  @Test
  void theTargetIsTheRulesForPlusItsDetectorsSpanPlusTenMinutes() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    RuleInfo offline = AlertsClient.info(json.readTree(
        "{\"id\":\"sensor-offline-heating\",\"detector\":\"missing-data\",\"for\":\"PT0S\","
            + "\"detectorSpan\":\"PT45M\",\"window\":null}"));
    RuleInfo night = AlertsClient.info(json.readTree(
        "{\"id\":\"water-night-flow\",\"detector\":\"threshold\",\"for\":\"PT2H\","
            + "\"detectorSpan\":\"PT0S\",\"window\":\"01:00-05:00\"}"));
    RuleInfo older = AlertsClient.info(json.readTree(
        "{\"id\":\"heating-no-heat\",\"detector\":\"threshold\",\"for\":\"PT30M\",\"window\":null}"));
    assertThat(offline.minimumDuration()).isEqualTo(Duration.ofMinutes(45));
    assertThat(night.minimumDuration()).isEqualTo(Duration.ofHours(2));
    assertThat(night.window()).isEqualTo("01:00-05:00");
    assertThat(older.minimumDuration()).as("no detectorSpan served: the for alone").isEqualTo(Duration.ofMinutes(30));

    Truth.Entry boiler = fault("sensor-offline", "a", "boiler-1", day(2, 6, 0), Duration.ofHours(6), "sensor-offline-heating");
    Truth.Run run = new Truth.Run(FROM, TO, List.of("a"), 1, List.of(boiler));
    Matching.Result r = Matching.match(run, List.of(alert(1, "a", "boiler-1", "sensor-offline-heating", day(2, 6, 46))),
        Map.of("sensor-offline-heating", offline), Duration.ofHours(1));
    assertThat(r.faults().get(0).minimum()).isEqualTo(Duration.ofMinutes(45));
    assertThat(r.faults().get(0).target()).isEqualTo(Duration.ofMinutes(55));
    assertThat(r.faults().get(0).timeToDetect()).isEqualTo(Duration.ofMinutes(46));
  }

  /** An unexpected rule on faulty equipment is counted apart from false alerts on healthy equipment; alerts outside the run are not the run's. */
  @Test
  void unexpectedAlertsOnFaultyEquipmentAreCountedApartAndAlertsOutsideTheRunIgnored() {
    Truth.Entry lift = fault("lift-stuck", "a", "lift-a", day(3, 8, 0), Duration.ofHours(2), "lift-out-of-service");
    Truth.Run run = new Truth.Run(FROM, TO, List.of("a"), 1, List.of(lift));
    List<Alert> alerts = List.of(
        alert(1, "a", "lift-a", "sensor-offline-heating", day(3, 9, 0)),
        alert(2, "a", "boiler-1", "sensor-offline-heating", day(3, 9, 0)),
        alert(3, "a", "boiler-1", "heating-no-heat", TO.plus(Duration.ofHours(1))),
        alert(4, "a", "boiler-1", "heating-no-heat", FROM.minusSeconds(1)));

    Matching.Result r = Matching.match(run, alerts, RULES, Duration.ofHours(1));

    assertThat(r.faults().get(0).detected()).isFalse();
    assertThat(r.falseOnFaulty()).extracting(Alert::id).containsExactly(1L);
    assertThat(r.falseOnHealthy()).extracting(Alert::id).containsExactly(2L);
    assertThat(r.alertsInRun()).isEqualTo(2);
  }

  /** The report gives detection per fault type, the medians against the targets, and false alerts per site-week by rule. */
  @Test
  void theReportGivesRatesTimesAndFalseAlertsPerSiteWeek() {
    Truth.Entry a = fault("lift-stuck", "a", "lift-a", day(3, 8, 0), Duration.ofHours(2), "lift-out-of-service");
    Truth.Entry b = fault("lift-stuck", "b", "lift-a", day(5, 8, 0), Duration.ofHours(2), "lift-out-of-service");
    Truth.Entry reset = fault("meter-reset", "b", "water-main", day(6, 8, 0), Duration.ofHours(1));
    Truth.Run run = new Truth.Run(FROM, TO, List.of("a", "b"), 1, List.of(a, b, reset));
    List<Alert> alerts = List.of(
        alert(1, "a", "lift-a", "lift-out-of-service", day(3, 8, 16)),
        alert(2, "b", "boiler-1", "heating-no-heat", day(9, 3, 0)));
    Matching.Result r = Matching.match(run, alerts, RULES, Duration.ofHours(1));
    StringWriter text = new StringWriter();
    EvaluationReport.print(new PrintWriter(text), run, r, Duration.ofHours(1), alerts.size());

    assertThat(text.toString())
        .contains("2 sites", "(2.0 weeks, 4 site-weeks); 3 faults injected")
        .containsPattern("lift-stuck +2 +1 +50\\.0% +16 min +16 min +15 min +25 min yes")
        .containsPattern("all +2 +1 +50\\.0%")
        .contains("meter-reset", "no rule of the catalog watches for it")
        .contains("False alerts on healthy equipment: 1 = 0.250 per site-week (target <= 0.1)")
        .containsPattern("heating-no-heat +1")
        .contains("missed faults:", "lift-stuck       b/lift-a");
  }
}
