package fr.gardien.gateway.ticketing.connector;

import fr.gardien.gateway.ticketing.OutboundAlert;
import java.time.Instant;

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

    public static OutboundAlert alert(String transition) {
        return alert(transition, "Départ chauffage sous 35 °C depuis 45 min");
    }
}
