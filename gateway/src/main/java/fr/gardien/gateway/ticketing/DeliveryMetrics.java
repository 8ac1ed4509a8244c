package fr.gardien.gateway.ticketing;

/** What the dispatcher reports. Tags stay low-cardinality: the configured connector, never an alert. */
public interface DeliveryMetrics {

    /** Reports nothing, so that no code has to test for null. */
    DeliveryMetrics NOOP = (connector, outcome) -> {
    };

    /** One recorded try of this connector, by outcome: {@code delivered}, {@code retry}, {@code dead}. */
    void delivery(String connector, String outcome);
}
