package fr.gardien.model;

/**
 * One stored measurement: a point (by its registry id), the reading's own time, and its value.
 * Boolean SenML values are stored as 0/1; string values ({@code vs}) keep {@code value} NaN and
 * carry {@code text}.
 *
 * @param pointId the registry id of the point
 * @param epochMicros the reading's time in microseconds since the Unix epoch (event time)
 * @param value the numeric value, or NaN for a string value
 * @param text the string value, or {@code null} for a numeric value
 */
public record Reading(int pointId, long epochMicros, double value, String text) {

    public static Reading numeric(int pointId, long epochMicros, double value) {
        return new Reading(pointId, epochMicros, value, null);
    }
}
