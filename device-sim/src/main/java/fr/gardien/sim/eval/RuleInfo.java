package fr.gardien.sim.eval;

import java.time.Duration;

/**
 * A rule as {@code GET /api/v1/rules} describes it: its detector, how long its condition must hold
 * ({@code for}), and its local-time window if it has one.
 */
public record RuleInfo(String id, String detector, Duration holdFor, String window) {}
