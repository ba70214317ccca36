package dev.sextant.storage.memory;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.LogRecord;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.Span;
import dev.sextant.model.SummaryPoint;
import java.util.List;
import java.util.Map;

/**
 * What a row "takes" in the in-memory store, for retention's byte counts and size caps: a rough,
 * deterministic measure of its encoded size (text lengths plus fixed costs), not heap bytes.
 */
final class Sizes {
  /** A stored one-minute or one-hour rollup window. */
  static final long ROLLUP_WINDOW = 48;

  private Sizes() {}

  static long of(Span span) {
    return 64
        + span.name().length()
        + span.serviceName().length()
        + span.scopeName().length()
        + span.statusMessage().length()
        + of(span.attributes())
        + 16L * span.events().size()
        + 32L * span.links().size();
  }

  static long of(LogRecord record) {
    return 48
        + record.bodyText().length()
        + record.serviceName().length()
        + record.scopeName().length()
        + of(record.attributes());
  }

  static long of(MetricPoint point) {
    return switch (point) {
      case NumberPoint n -> 16;
      case HistogramPoint h -> 32 + 16L * h.bucketCounts().length;
      case ExponentialHistogramPoint e ->
          48 + 8L * (e.positive().counts().length + e.negative().counts().length);
      case SummaryPoint s -> 32 + 16L * s.quantiles().size();
    };
  }

  private static long of(Object value) {
    return switch (value) {
      case null -> 0;
      case String s -> s.length();
      case Map<?, ?> map -> {
        long n = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          n += String.valueOf(entry.getKey()).length() + of(entry.getValue());
        }
        yield n;
      }
      case List<?> list -> {
        long n = 0;
        for (Object item : list) {
          n += of(item);
        }
        yield n;
      }
      default -> 8;
    };
  }
}
