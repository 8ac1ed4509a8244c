package fr.gardien.sim.senml;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Encodes readings as one SenML pack (RFC 8428), in JSON or in CBOR with the integer labels of
 * §6 (bn -2, bt -3, n 0, u 1, v 2, t 6). The base name is the longest common prefix of the keys
 * that ends with '/', the base time is the first reading's time in epoch seconds (millisecond
 * precision), and each record's {@code t} is its offset from it (omitted when 0, the RFC
 * default, §4.5.3). Thread-safe.
 */
public final class PackBuilder {
  private static final JsonFactory JSON = new JsonFactory();
  private static final CBORFactory CBOR = new CBORFactory();

  private PackBuilder() {}

  /** The pack as UTF-8 JSON bytes; {@code readings} must not be empty. */
  public static byte[] encode(List<Reading> readings) {
    return encode(readings, PackFormat.JSON);
  }

  /** The pack in {@code format}; {@code readings} must not be empty. */
  public static byte[] encode(List<Reading> readings, PackFormat format) {
    if (readings.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one reading");
    }
    String base = baseName(readings);
    long baseMillis = readings.get(0).time().toEpochMilli();
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * readings.size());
    boolean cbor = format == PackFormat.CBOR;
    try (JsonGenerator g = cbor ? CBOR.createGenerator(out) : JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      boolean first = true;
      for (Reading r : readings) {
        g.writeStartObject();
        if (first) {
          if (!base.isEmpty()) {
            label(g, "bn", -2);
            g.writeString(base);
          }
          label(g, "bt", -3);
          number(g, baseMillis, cbor);
        }
        label(g, "n", 0);
        g.writeString(r.key().substring(base.length()));
        if (r.unit() != null) {
          label(g, "u", 1);
          g.writeString(r.unit());
        }
        label(g, "v", 2);
        if (r.integral() && Math.abs(r.value()) < 1e15) {
          g.writeNumber(Math.round(r.value()));
        } else {
          g.writeNumber(r.value());
        }
        long offset = r.time().toEpochMilli() - baseMillis;
        if (!first && offset != 0) {
          label(g, "t", 6);
          number(g, offset, cbor);
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

  /** A field label: its name in JSON, its integer label in CBOR (RFC 8428 §6). */
  private static void label(JsonGenerator g, String name, int cborLabel) throws IOException {
    if (g instanceof CBORGenerator c) {
      c.writeFieldId(cborLabel);
    } else {
      g.writeFieldName(name);
    }
  }

  /**
   * Milliseconds as seconds: an exact decimal in JSON; in CBOR an integer when whole, else a
   * double (a CBOR decimal fraction, tag 4, is not in SenML's data model).
   */
  private static void number(JsonGenerator g, long millis, boolean cbor) throws IOException {
    if (!cbor) {
      g.writeNumber(seconds(millis));
    } else if (millis % 1000 == 0) {
      g.writeNumber(millis / 1000);
    } else {
      g.writeNumber(millis / 1000.0);
    }
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
