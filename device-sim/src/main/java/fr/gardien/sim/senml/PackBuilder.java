package fr.gardien.sim.senml;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Encodes readings as one SenML JSON pack (RFC 8428). The base name is the longest common
 * prefix of the keys that ends with '/', the base time is the first reading's time in epoch
 * seconds (millisecond precision), and each record's {@code t} is its offset from it (omitted
 * when 0, the RFC default, §4.5.3). Thread-safe.
 */
public final class PackBuilder {
  private static final JsonFactory JSON = new JsonFactory();

  private PackBuilder() {}

  /** The pack as UTF-8 JSON bytes; {@code readings} must not be empty. */
  public static byte[] encode(List<Reading> readings) {
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one reading");
    }
    String base = baseName(readings);
    long baseMillis = readings.get(0).time().toEpochMilli();
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * readings.size());
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      boolean first = true;
      for (Reading r : readings) {
        g.writeStartObject();
        if (first) {
          if (!base.isEmpty()) {
            g.writeStringField("bn", base);
          }
          g.writeFieldName("bt");
          g.writeNumber(seconds(baseMillis));
        }
        g.writeStringField("n", r.key().substring(base.length()));
        if (r.unit() != null) {
          g.writeStringField("u", r.unit());
        }
        g.writeFieldName("v");
        if (r.integral() && Math.abs(r.value()) < 1e15) {
          g.writeNumber(Math.round(r.value()));
        } else {
          g.writeNumber(r.value());
        }
        long offset = r.time().toEpochMilli() - baseMillis;
        if (!first && offset != 0) {
          g.writeFieldName("t");
          g.writeNumber(seconds(offset));
        }
        g.writeEndObject();
        first = false;
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Epoch or offset milliseconds as exact decimal seconds (1763712000.5, never 1.7637120005E9). */
  private static BigDecimal seconds(long millis) {
    BigDecimal s = BigDecimal.valueOf(millis, 3).stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  static String baseName(List<Reading> readings) {
    String prefix = readings.get(0).key();
    int end = prefix.lastIndexOf('/') + 1;
    for (Reading r : readings) {
      String k = r.key();
      int i = 0;
      while (i < end && i < k.length() && k.charAt(i) == prefix.charAt(i)) {
        i++;
      }
      end = prefix.lastIndexOf('/', i - 1) + 1;
    }
    return prefix.substring(0, end);
  }
}
