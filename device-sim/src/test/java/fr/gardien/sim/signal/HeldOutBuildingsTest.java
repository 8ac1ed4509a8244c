package fr.gardien.sim.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.gardien.sim.portfolio.Portfolio;
import fr.gardien.sim.portfolio.PortfolioCommand;
import fr.gardien.sim.portfolio.PortfolioReader;
import fr.gardien.sim.senml.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The held-out variant's buildings (issue 16): drawn per site within their documented ranges,
 * healthy as healthy buildings are (a compliant tank, a lift whose doors open about twice per
 * trip), and sent through sensors and a field gateway that lose, round and re-time readings as
 * real ones do; the usual variant's buildings unchanged by any of it.
 */
class HeldOutBuildingsTest {
  private static final Instant DECEMBER = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration STEP = Duration.ofMinutes(3);

  /** Every parameter of 300 drawn buildings lies in its range, and the ranges are covered, not one value. */
  @Test
  void heldOutBuildingsAreDrawnWithinTheirRanges() {
    Set<Integer> setbackStarts = new HashSet<>();
    Set<Integer> setbackEnds = new HashSet<>();
    double lowestCurve = 100;
    double highestCurve = 0;
    int coarse = 0;
    int pulses = 0;
    for (int i = 0; i < 300; i++) {
      BuildingProfile b = BuildingProfile.heldOut(5, "site-" + i, i % 2 == 0);
      double at7 = b.supplyAt20() + 27 * b.curveSlope();
      assertThat(at7).isBetween(65.0, 80.0);
      assertThat(b.supplyAt20()).isBetween(20.0, 25.0);
      assertThat(b.setback()).isBetween(0.0, 15.0);
      assertThat(b.minSupply()).isBetween(30.0, 38.0);
      assertThat(b.burnerSwing()).isEqualTo(i % 2 != 0);
      assertThat(b.storageSetpoint() - b.storageSawtooth() - b.storageDrawDip() - 1.2).isGreaterThanOrEqualTo(56 - 1e-9);
      assertThat(b.tankTauMinutes()).isBetween(15.0, 40.0);
      assertThat(b.circuitTauMinutes()).isBetween(15.0, 40.0);
      assertThat(b.gapMaxMinutes()).isLessThan(45);
      assertThat(Math.abs(b.clockDriftSecondsPerDay())).isLessThanOrEqualTo(60);
      assertThat(b.liftUse()).isBetween(0.3, 2.5);
      setbackStarts.add(b.setbackFrom());
      setbackEnds.add(b.setbackTo());
      lowestCurve = Math.min(lowestCurve, at7);
      highestCurve = Math.max(highestCurve, at7);
      coarse += b.temperatureStep() > 0 ? 1 : 0;
      pulses += b.pulseLitres() > 0 ? 1 : 0;
    }
    assertThat(setbackStarts).containsExactlyInAnyOrder(20, 21, 22, 23);
    assertThat(setbackEnds).containsExactlyInAnyOrder(5, 6, 7);
    assertThat(lowestCurve).isLessThan(67);
    assertThat(highestCurve).isGreaterThan(78);
    assertThat(coarse).isBetween(120, 180);
    assertThat(pulses).isBetween(120, 180);
    assertThat(BuildingProfile.heldOut(5, "site-1")).isEqualTo(BuildingProfile.heldOut(5, "site-1"))
        .isNotEqualTo(BuildingProfile.heldOut(6, "site-1"));
  }

  /** The supply follows the building's own curve, lowered by its own setback in its own hours. */
  @Test
  void theSupplyFollowsItsCurveAndSetback() {
    BuildingProfile b = BuildingProfile.heldOut(5, "site-3", true);
    double o = 0;
    double day = b.targetSupply(o, 14);
    assertThat(day).isCloseTo(Math.max(b.minSupply(), b.supplyAt20() + 20 * b.curveSlope()), within(1e-9));
    double night = b.targetSupply(o, b.setbackFrom() + 0.5);
    assertThat(night).isCloseTo(Math.max(b.minSupply(), day - b.setback()), within(1e-9));
    assertThat(b.targetSupply(o, b.setbackTo())).isEqualTo(day);
    assertThat(b.targetSupply(16, b.setbackFrom() + 0.5)).as("no setback out of the heating season")
        .isEqualTo(b.targetSupply(16, 14));
  }

  /**
   * A week of a held-out portfolio's readings: the outdoor temperature on the weather equipment
   * where the portfolio puts it, temperatures rounded to 0.5 °C where the building's sensors do,
   * a pulse meter's index in whole 10-litre pulses, bursts of missing data never long enough to be
   * a sensor offline, a clock within a minute, and a healthy tank never under 55 °C.
   */
  @Test
  void aHeldOutWeekLooksAsItsBuildingsSensorsMakeIt() throws Exception {
    Portfolio portfolio = PortfolioReader.parse("held-out",
        PortfolioCommand.generate(12, 4, "test-admin-token", Variant.HELD_OUT));
    long seed = 4;
    int weatherSites = 0;
    int substations = 0;
    for (Portfolio.Site site : portfolio.sites()) {
      boolean substation = site.equipment().stream().anyMatch(e -> e.type().equals("substation"));
      substations += substation ? 1 : 0;
      BuildingProfile b = BuildingProfile.of(Variant.HELD_OUT, seed, site.id(), substation);
      SiteWeather w = new SiteWeather(seed, site.id(), site.timezone());
      boolean weather = site.equipment().stream().anyMatch(e -> e.type().equals("weather"));
      weatherSites += weather ? 1 : 0;
      Portfolio.Equipment heating = site.equipment().get(0);
      assertThat(heating.points().stream().anyMatch(p -> p.name().equals("outdoor_temp"))).isEqualTo(!weather);
      Map<String, List<Reading>> byKey = new HashMap<>();
      List<EquipmentSignals> signals = new ArrayList<>();
      for (Portfolio.Equipment e : site.equipment()) {
        signals.add(new EquipmentSignals(site, e, w, b, seed, STEP));
      }
      int samples = 0;
      for (Instant t = DECEMBER; t.isBefore(DECEMBER.plus(Duration.ofDays(7))); t = t.plus(STEP)) {
        samples++;
        for (EquipmentSignals s : signals) {
          for (Reading r : s.sample(t)) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
            assertThat(Math.abs(Duration.between(t, r.time()).toSeconds())).isLessThanOrEqualTo(60);
            // The shift the truth records for a fault starting at t is the one its readings carry.
            assertThat(Duration.between(t, r.time()).toSeconds()).isEqualTo(b.clockShiftSeconds(seed, site.id(), t));
          }
        }
      }
      for (Reading r : byKey.get(site.id() + "/ecs-1/storage_temp")) {
        assertThat(r.value()).as("a healthy tank of %s", b.describe()).isGreaterThanOrEqualTo(55.5);
        if (b.temperatureStep() > 0) {
          assertThat(r.value() * 2).isCloseTo(Math.rint(r.value() * 2), within(1e-9));
        }
      }
      if (b.pulseLitres() > 0) {
        for (Reading r : byKey.get(site.id() + "/water-main/volume")) {
          assertThat(r.value() * 100).isCloseTo(Math.rint(r.value() * 100), within(1e-6));
        }
      }
      // Each equipment misses its bursts; none lasts 45 minutes (the catalog's silence limit).
      List<Reading> supply = byKey.get(site.id() + "/" + heating.id() + "/supply_temp");
      assertThat(supply.size()).isLessThanOrEqualTo(samples);
      for (int i = 1; i < supply.size(); i++) {
        assertThat(Duration.between(supply.get(i - 1).time(), supply.get(i).time()).toMinutes()).isLessThan(40);
      }
    }
    assertThat(weatherSites).isBetween(2, 10);
    assertThat(substations).isBetween(2, 10);
  }

  /** The usual buildings' readings go through unchanged: no rounding, no gap, no drift. */
  @Test
  void theUsualBuildingIsLeftAsItWas() throws Exception {
    Portfolio portfolio = PortfolioReader.parse("usual", PortfolioCommand.generate(1, 4, "test-admin-token"));
    Portfolio.Site site = portfolio.sites().get(0);
    SiteWeather w = new SiteWeather(4, site.id(), site.timezone());
    for (Portfolio.Equipment e : site.equipment()) {
      EquipmentSignals plain = new EquipmentSignals(site, e, w, 4, STEP);
      EquipmentSignals usual = new EquipmentSignals(site, e, w, BuildingProfile.usual(), 4, STEP);
      for (Instant t = DECEMBER; t.isBefore(DECEMBER.plus(Duration.ofDays(1))); t = t.plus(STEP)) {
        Instant at = t;
        List<Reading> a = plain.sample(t);
        assertThat(a).hasSize(e.points().size()).allSatisfy(r -> assertThat(r.time()).isEqualTo(at));
        assertThat(usual.sample(t)).isEqualTo(a);
      }
    }
    assertThat(new SensorEffects(BuildingProfile.usual(), 1, 2).active()).isFalse();
  }

  /** A pulse meter's flow is its pulses of the last 15 minutes: within one pulse of the true mean flow. */
  @Test
  void aPulseMetersFlowIsItsRecentPulses() {
    BuildingProfile pulsed = new BuildingProfile(25, 1.5, 35, 82, 5, 22, 5, true, 10, 10, 20, 1.5, 61.5, 1, 2.5, 5400,
        3600, 20, 56, 0, 10, 1, 1, 0, 0, 0, 1);
    SensorEffects effects = new SensorEffects(pulsed, 1, 2);
    double volume = 1000;
    double flow = 0.3;
    Reading last = null;
    for (int i = 0; i < 20; i++) {
      Instant t = DECEMBER.plus(STEP.multipliedBy(i));
      volume += flow * STEP.toSeconds() / 3600;
      List<Reading> out = effects.apply(List.of(
          new Reading("s/w/volume", "m3", volume, false, t), new Reading("s/w/flow", "m3/h", flow, false, t)), t);
      assertThat(out.get(0).value()).isLessThanOrEqualTo(volume).isGreaterThan(volume - 0.01);
      last = out.get(1);
    }
    // One 10 L pulse over 15 min is 0.04 m3/h.
    assertThat(last.value()).isCloseTo(flow, within(0.04 + 1e-9));
  }

  /** Bursts of missing data come as often as the profile says, each shorter than its maximum. */
  @Test
  void burstsOfMissingDataAreShortAndAsFrequentAsDrawn() {
    BuildingProfile gappy = new BuildingProfile(25, 1.5, 35, 82, 5, 22, 5, true, 10, 10, 20, 1.5, 61.5, 1, 2.5, 5400,
        3600, 20, 56, 0, 0, 1, 1, 6, 30, 0, 1);
    SensorEffects effects = new SensorEffects(gappy, 7, 2);
    int bursts = 0;
    int longest = 0;
    int run = 0;
    boolean previous = false;
    Duration minute = Duration.ofMinutes(1);
    int weeks = 20;
    for (Instant t = DECEMBER; t.isBefore(DECEMBER.plus(Duration.ofDays(7L * weeks))); t = t.plus(minute)) {
      boolean gap = effects.inGap(t);
      if (gap && !previous) {
        bursts++;
        run = 0;
      }
      if (gap) {
        longest = Math.max(longest, ++run);
      }
      previous = gap;
    }
    assertThat(bursts / (double) weeks).isBetween(4.0, 8.0);
    assertThat(longest).isLessThanOrEqualTo(30);
  }
}
