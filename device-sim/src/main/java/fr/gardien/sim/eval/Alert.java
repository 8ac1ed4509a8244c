package fr.gardien.sim.eval;

import java.time.Instant;

/** An alert as the gateway's API lists it, reduced to what the evaluation matches on. */
public record Alert(long id, String site, String equipment, String rule, String state, Instant firstSeen,
    Instant lastSeen) {}
