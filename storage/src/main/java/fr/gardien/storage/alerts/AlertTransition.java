package fr.gardien.storage.alerts;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of the append-only transition log. Its id is the SSE event id and, with the alert
 * id, the outbox's idempotency key.
 *
 * @param at when it happened: the signal's event time for opened, retriggered, reopened and
 *     automatic resolution; the wall clock for acknowledgement and manual resolution
 * @param by who: a token name, or {@code gardien} for the rule engine
 * @param detail small facts about the transition (occurrences, resolution, note, flapping)
 */
public record AlertTransition(long id, long alertId, Kind kind, Instant at, String by, Map<String, Object> detail) {

    public AlertTransition {
        detail = Map.copyOf(detail);
    }

    public enum Kind {
        OPENED, RETRIGGERED, ACKNOWLEDGED, RESOLVED, REOPENED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** The idempotency key of this transition's delivery (issue 4): alert id ':' transition id. */
    public String idempotencyKey() {
        return alertId + ":" + id;
    }
}
