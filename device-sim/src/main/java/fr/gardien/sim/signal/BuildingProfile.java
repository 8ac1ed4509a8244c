package fr.gardien.sim.signal;

import java.time.Instant;

/**
 * What makes one simulated building differ from another: its heating curve and night setback,
 * its circuit and its hot-water tank, its sensors and meters, how its data reach the gateway, how
 * busy its lift is and how large its loads are. {@link #usual()} is the building every site of the
 * {@code usual} variant is (the simulator's signals before issue 16, unchanged);
 * {@link #heldOut(long, String)} draws one per site for the {@code held-out} variant, from ranges
 * the rule catalog was not tuned on (issue 16, README "Evaluation").
 *
 * @param supplyAt20 supply temperature the curve asks for at 20 °C outside, °C (its foot)
 * @param curveSlope K of supply per K of outdoor temperature below 20 °C
 * @param minSupply the controller's minimum supply, °C, which holds after the setback
 * @param maxSupply the controller's maximum supply, °C
 * @param setback how much the controller lowers the supply during its setback hours, K
 * @param setbackFrom local hour the setback starts (inclusive)
 * @param setbackTo local hour it ends (exclusive; before {@code setbackFrom}: across midnight)
 * @param burnerSwing whether the supply swings with a burner's on-off cycle (a boiler; a
 *     substation's valve modulates instead)
 * @param deltaTBase supply-return difference with no heating load, K
 * @param deltaTLoad added to it at full load, K
 * @param circuitTauMinutes how fast the circuit's water cools when production stops or falls
 *     short, the time constant in minutes (the water in the pipes and radiators against the heat
 *     they give)
 * @param pressureBase the circuit's mean pressure, bar (more in a taller building)
 * @param storageSetpoint the hot-water thermostat's set-point, °C
 * @param storageSawtooth how far the tank cools between two reheats, K (the thermostat's band)
 * @param storageDrawDip how far the tank dips at the morning and evening draw-off peaks, K
 * @param reheatPeriodSeconds the shortest time between two reheats, s
 * @param reheatPeriodSpanSeconds added to it at random per tank, s
 * @param tankTauMinutes how fast the tank cools when its heater stops, time constant in minutes
 *     (its volume against its loop's and draw-off's losses)
 * @param loopBase the hot-water loop return's mean, °C
 * @param temperatureStep the resolution temperatures are sent with, °C (0: a tenth)
 * @param pulseLitres litres per pulse of the water meter (0: a meter that sends its own flow)
 * @param waterScale the building's water use against the usual building's
 * @param powerScale the common-area loads against the usual building's
 * @param gapsPerWeek bursts of missing data per equipment and week
 * @param gapMaxMinutes the longest such burst, minutes (below the catalog's 45 min of silence)
 * @param clockDriftSecondsPerDay how far the field gateway's clock drifts per day before its daily
 *     synchronisation, s (signed)
 * @param liftUse the lift's trips against the usual building's
 */
public record BuildingProfile(double supplyAt20, double curveSlope, double minSupply, double maxSupply,
    double setback, int setbackFrom, int setbackTo, boolean burnerSwing, double deltaTBase, double deltaTLoad,
    double circuitTauMinutes, double pressureBase, double storageSetpoint, double storageSawtooth,
    double storageDrawDip, double reheatPeriodSeconds, double reheatPeriodSpanSeconds, double tankTauMinutes,
    double loopBase, double temperatureStep, double pulseLitres, double waterScale, double powerScale,
    double gapsPerWeek, double gapMaxMinutes, double clockDriftSecondsPerDay, double liftUse) {

  private static final BuildingProfile USUAL = new BuildingProfile(25, 1.5, 35, 82, 5, 22, 5, true, 10, 10, 20, 1.5,
      61.5, 1, 2.5, 5400, 3600, 20, 56, 0, 0, 1, 1, 0, 0, 0, 1);

  /**
   * How far the field gateway of {@code site} (in a run of {@code runSeed}) shifts the time stamps
   * of the readings it sends at {@code t}, whole seconds as it applies them (0 without clock drift):
   * the evaluation judges a fault's start as the site's readings stamp it.
   */
  public long clockShiftSeconds(long runSeed, String site, Instant t) {
    return Math.round(SensorEffects.clockOffsetSeconds(this, SensorEffects.clockSeed(runSeed, site), t));
  }

  /** The usual variant's building: the same for every site. */
  public static BuildingProfile usual() {
    return USUAL;
  }

  /** The building of {@code site} in {@code variant}, drawn from the run's seed. */
  public static BuildingProfile of(Variant variant, long seed, String site, boolean substation) {
    return variant == Variant.HELD_OUT ? heldOut(seed, site, substation) : USUAL;
  }

  /** A held-out boiler building (see {@link #heldOut(long, String, boolean)}). */
  public static BuildingProfile heldOut(long seed, String site) {
    return heldOut(seed, site, false);
  }

  /**
   * A building of the held-out variant. Its heating curve asks 65 to 80 °C at −7 °C outside (20 to
   * 25 °C at 20 °C), its controller's minimum supply is 30 to 38 °C, its night setback 0 to 15 K
   * from 20:00, 21:00, 22:00 or 23:00 to 05:00, 06:00 or 07:00; a substation has no burner swing;
   * its circuit cools with a time constant of 15 to 40 min and runs at 1.3 to 2.2 bar; its tank is
   * set to 60 to 65 °C with a band of 1 to 3 K, draw-off dips of 1.5 to 3.5 K (never below 56 °C
   * healthy: the regulation's 55 °C is the thermostat's floor, not its setting), reheats every 1 to
   * 3 h and cools with a time constant of 15 to 40 min when its heater stops; half the buildings
   * send temperatures at 0.5 °C and have a water meter of 10-litre pulses; water use 0.4 to 2.5
   * times and common-area loads 0.5 to 2 times the usual building's; 0 to 6 bursts of 5 to 30 min
   * of missing data per equipment and week; a clock drifting up to 60 s a day; a lift used 0.3 to
   * 2.5 times as much.
   */
  public static BuildingProfile heldOut(long seed, String site, boolean substation) {
    long s = Noise.derive(seed, "building/" + site);
    int k = 0;
    double foot = 20 + 5 * Noise.uniform(s, k++);
    double at7 = 65 + 15 * Noise.uniform(s, k++);
    double minSupply = 30 + 8 * Noise.uniform(s, k++);
    double setback = 15 * Noise.uniform(s, k++);
    int from = 20 + (int) (4 * Noise.uniform(s, k++));
    int to = 5 + (int) (3 * Noise.uniform(s, k++));
    double deltaTBase = 7 + 5 * Noise.uniform(s, k++);
    double deltaTLoad = 6 + 6 * Noise.uniform(s, k++);
    double circuitTau = 15 + 25 * Noise.uniform(s, k++);
    double pressure = 1.3 + 0.9 * Noise.uniform(s, k++);
    double sawtooth = 1 + 2 * Noise.uniform(s, k++);
    double dip = 1.5 + 2 * Noise.uniform(s, k++);
    // The set-point keeps the healthy tank at 56 °C or more: its lowest is the set-point less the
    // band, the dip and 1.2 K of slow variation.
    double setpoint = Math.max(60 + 5 * Noise.uniform(s, k++), 56 + 1.2 + sawtooth + dip);
    double reheat = 3600 + 3600 * Noise.uniform(s, k++);
    double tankTau = 15 + 25 * Noise.uniform(s, k++);
    double loop = 54 + 4 * Noise.uniform(s, k++);
    boolean coarse = Noise.uniform(s, k++) < 0.5;
    boolean pulses = Noise.uniform(s, k++) < 0.5;
    double water = 0.4 + 2.1 * Noise.uniform(s, k++);
    double power = 0.5 + 1.5 * Noise.uniform(s, k++);
    double gaps = 6 * Noise.uniform(s, k++);
    double drift = 60 * (2 * Noise.uniform(s, k++) - 1);
    double lift = 0.3 + 2.2 * Noise.uniform(s, k++);
    return new BuildingProfile(foot, (at7 - foot) / 27, minSupply, 85, setback, from, to, !substation, deltaTBase,
        deltaTLoad, circuitTau, pressure, setpoint, sawtooth, dip, reheat, 3600, tankTau, loop, coarse ? 0.5 : 0,
        pulses ? 10 : 0, water, power, gaps, 30, drift, lift);
  }

  /** Whether {@code localHour} falls in the setback hours. */
  public boolean inSetback(double localHour) {
    return setbackFrom < setbackTo ? localHour >= setbackFrom && localHour < setbackTo
        : localHour >= setbackFrom || localHour < setbackTo;
  }

  /** The supply the controller asks for at {@code outdoor} °C and {@code localHour}, before its burner's swing. */
  public double targetSupply(double outdoor, double localHour) {
    // Night setback only in the heating season; in summer the circuit idles at its minimum.
    double lowered = inSetback(localHour) && outdoor < 15 ? -setback : 0;
    return Math.max(minSupply, Math.min(maxSupply, supplyAt20 + curveSlope * (20 - outdoor) + lowered));
  }

  /** A short description for the run's log. */
  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "curve %.0f °C at -7 °C (%.0f °C at 20 °C), min %.0f °C, setback %.1f K %02d-%02d h, %s, circuit tau %.0f min,"
            + " tank %.1f °C band %.1f K tau %.0f min, %s, %s, water x%.1f, power x%.1f, %.1f gaps/week,"
            + " drift %+.0f s/day, lift x%.1f",
        supplyAt20 + 27 * curveSlope, supplyAt20, minSupply, setback, setbackFrom, setbackTo,
        burnerSwing ? "burner" : "no burner", circuitTauMinutes, storageSetpoint, storageSawtooth, tankTauMinutes,
        temperatureStep > 0 ? "temperatures at " + temperatureStep + " °C" : "temperatures at 0.1 °C",
        pulseLitres > 0 ? (int) pulseLitres + " L pulse meter" : "flow meter", waterScale, powerScale, gapsPerWeek,
        clockDriftSecondsPerDay, liftUse);
  }
}
