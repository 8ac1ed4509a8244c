package fr.gardien.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters shared by the commands. */
public final class Options {
  private Options() {}

  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT30S}. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parseDuration(value);
    }
  }

  /** Parses a duration option value; fails with a message that shows the accepted forms. */
  public static Duration parseDuration(String value) {
    Matcher m = SIMPLE.matcher(value.trim());
    if (m.matches()) {
      double n = Double.parseDouble(m.group(1));
      double millis = switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n * 86_400_000;
      };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d, PT30S)");
    }
  }

  /** Instants as ISO-8601: {@code 2025-01-15T08:00:00Z}, with an offset, or local (read as UTC), or a date. */
  public static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      String v = value.trim();
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException ignored) {
        // Try the next accepted form.
      }
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException ignored) {
        // Try the next accepted form.
      }
      try {
        return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not an ISO-8601 time (e.g. 2025-01-15T08:00:00Z)");
      }
    }
  }
}
