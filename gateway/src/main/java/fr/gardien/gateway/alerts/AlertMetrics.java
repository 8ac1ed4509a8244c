package fr.gardien.gateway.alerts;

/** What the alert lifecycle reports. Tags stay low-cardinality: never a site, rule or alert id. */
public interface AlertMetrics {

    /** Reports nothing, so that no code has to test for null. */
    AlertMetrics NOOP = kind -> {
    };

    /** One committed transition of this kind ({@code opened}, {@code resolved}, …). */
    void transition(String kind);
}
