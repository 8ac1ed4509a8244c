package fr.gardien.storage.alerts;

/**
 * A transition with its alert, as sent to live subscribers and replayed after a
 * {@code Last-Event-ID}. The alert is as it was just after the transition when sent live, and
 * as it is now when replayed: a client applying events in order ends in the current state.
 */
public record AlertEvent(AlertTransition transition, Alert alert) {
}
