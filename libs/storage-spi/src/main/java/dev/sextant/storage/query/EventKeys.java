package dev.sextant.storage.query;

import dev.sextant.model.Correlation;
import dev.sextant.model.MetricEvent;

/**
 * The keys Mastra's OLAP routes group and count metric events by: a field of the event ({@link
 * Field}), a correlation key ({@link Correlation#KEYS}), or else a label. An absent field or
 * correlation value is null and still makes a group; an event without a label being grouped by is
 * left out (as Mastra's PostgreSQL store leaves out rows whose label is missing).
 */
public final class EventKeys {
  private EventKeys() {}

  /** The event fields that are keys, by the names Mastra's requests use. */
  public enum Field {
    NAME("name"),
    TRACE_ID("traceId"),
    SPAN_ID("spanId"),
    PROVIDER("provider"),
    MODEL("model"),
    COST_UNIT("costUnit"),
    METRIC_ID("metricId"),
    EXECUTION_SOURCE("executionSource");

    public final String key;

    Field(String key) {
      this.key = key;
    }

    /** The field a key names, or null. */
    public static Field of(String key) {
      for (Field f : values()) {
        if (f.key.equals(key)) {
          return f;
        }
      }
      return null;
    }
  }

  /** Refuses an empty or oversized key. */
  public static void check(String key) {
    if (key == null || key.isEmpty() || key.length() > 256) {
      throw new IllegalArgumentException("a group or distinct key must have 1..256 characters");
    }
  }

  /** Whether the key is a label (neither a field nor a correlation key). */
  public static boolean isLabel(String key) {
    return Field.of(key) == null && !Correlation.KEYS.contains(key);
  }

  /** The key's value in the event: null when absent (and for a label, when missing). */
  public static String value(MetricEvent e, String key) {
    Field field = Field.of(key);
    if (field == null) {
      return Correlation.KEYS.contains(key) ? e.correlation().get(key) : e.labels().get(key);
    }
    return switch (field) {
      case NAME -> e.name();
      case TRACE_ID -> emptyAsNull(e.traceId());
      case SPAN_ID -> emptyAsNull(e.spanId());
      case PROVIDER -> emptyAsNull(e.cost().provider());
      case MODEL -> emptyAsNull(e.cost().model());
      case COST_UNIT -> emptyAsNull(e.cost().unit());
      case METRIC_ID -> e.id();
      case EXECUTION_SOURCE -> e.correlation().get(Correlation.SOURCE);
    };
  }

  private static String emptyAsNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
