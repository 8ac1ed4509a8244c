package fr.gardien.sim.senml;

import java.time.Instant;

/**
 * One reading to send: the full point key ({@code site/equipment/point}), the SenML unit
 * (null when the point declares none), the value and its time. {@code integral} readings
 * (counters, states, people counts) are written without a fraction.
 */
public record Reading(String key, String unit, double value, boolean integral, Instant time) {

  /** The same reading at another time. */
  public Reading at(Instant other) {
    return new Reading(key, unit, value, integral, other);
  }
}
