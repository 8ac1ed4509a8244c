package fr.gardien.storage.alerts;

/** An outbox row with the alert as it is now and the transition it delivers. */
public record OutboxItem(OutboxEntry entry, Alert alert, AlertTransition transition) {
}
