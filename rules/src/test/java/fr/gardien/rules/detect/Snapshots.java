package fr.gardien.rules.detect;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test support: times, and a snapshot passed through what a JSON round trip does to numbers. */
final class Snapshots {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final long MINUTE = 60_000_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private Snapshots() {
    }

    /** Microseconds since the epoch of a local date-time in Paris (earlier offset when ambiguous). */
    static long paris(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(PARIS).toEpochSecond() * 1_000_000L;
    }

    static long utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }

    /** As Jackson would return it: small whole numbers become Integer, other whole doubles Long. */
    static Map<String, Object> jsonRoundTrip(Map<String, Object> state) {
        Map<String, Object> out = new HashMap<>();
        state.forEach((k, v) -> out.put(k, convert(v)));
        return out;
    }

    private static Object convert(Object v) {
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(o -> out.add(convert(o)));
            return out;
        }
        if (v instanceof Number n && !(v instanceof Double d && (d != Math.rint(d) || Double.isInfinite(d)))) {
            long l = n.longValue();
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
        return v;
    }
}
