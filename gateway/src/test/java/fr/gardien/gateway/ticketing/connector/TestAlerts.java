package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.OutboundAlert;
import fr.gardien.gateway.ticketing.OutboundDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Outbound alerts for connector tests. */
public final class TestAlerts {

    private TestAlerts() {
    }

    public static OutboundAlert alert(String transition, String summary) {
        return new OutboundAlert(1234, transition, "1234:" + (5000 + transition.length()), "res-les-tilleuls",
                "Résidence Les Tilleuls", "boiler-1", "boiler", "heating.supply-too-cold", "critical", "heating",
                "immediate", "resolved".equals(transition) ? "resolved" : "open", summary,
                Instant.parse("2026-01-15T06:00:00Z"), Instant.parse("2026-01-15T06:45:00Z"), 3,
                "https://gardien.example/#/alerts/1234");
    }

    /** A digest of two alerts of the test site, the second on the lift. */
    public static OutboundDigest digest() {
        OutboundAlert boiler = alert("digest");
        OutboundAlert lift = new OutboundAlert(1240, "digest", "digest:res-les-tilleuls:2026-01-15:routes[0]:1240",
                "res-les-tilleuls", "Résidence Les Tilleuls", "lift-a", "lift", "lift.door-wear", "warning", "lift",
                "planned", "open", "Portes : 1 250 cycles par jour depuis 3 jours", Instant.parse("2026-01-15T07:00:00Z"),
                Instant.parse("2026-01-15T08:00:00Z"), 1, "https://gardien.example/#/alerts/1240");
        return new OutboundDigest(77, "digest:res-les-tilleuls:2026-01-15:routes[0]", "res-les-tilleuls",
                "Résidence Les Tilleuls", "routes[0]", LocalDate.of(2026, 1, 15), 5, 2, "critical", "immediate",
                "2 alerte(s) au-delà du budget quotidien de 5 ticket(s) — Résidence Les Tilleuls, 15/01/2026 : "
                        + "1 × heating.supply-too-cold (boiler-1), 1 × lift.door-wear (lift-a)",
                boiler.firstSeen(), lift.lastSeen(), "https://gardien.example/#/sites/res-les-tilleuls", List.of(boiler, lift));
    }

    public static OutboundAlert alert(String transition) {
        return alert(transition, "Départ chauffage sous 35 °C depuis 45 min");
    }
}
