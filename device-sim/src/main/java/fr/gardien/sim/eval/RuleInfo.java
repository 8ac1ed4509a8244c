package fr.gardien.sim.eval;

import java.time.Duration;

/**
 * A rule as {@code GET /api/v1/rules} describes it: its detector, how long its condition must hold
 * ({@code for}), the span its detector must watch by its own parameters ({@code detectorSpan}:
 * a missing-data rule's interval × factor, a flatline's duration, a rate's or a ratio's window),
 * and its local-time window if it has one.
 */
public record RuleInfo(String id, String detector, Duration holdFor, Duration detectorSpan, String window) {

  /**
   * The rule's own minimum duration: no fault can raise it sooner than its detector's span plus its
   * {@code for}. A local-time window adds nothing: a fault that starts inside it needs no more, and
   * the wait for the window to open is the calendar's, not the rule's.
   */
  public Duration minimumDuration() {
    return holdFor.plus(detectorSpan);
  }
}
