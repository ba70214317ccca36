package dev.sextant.model;

import java.util.Map;

/** A timestamped event inside a span (for example an exception). */
public record SpanEvent(String name, long timeUnixNanos, Map<String, Object> attributes) {
  public SpanEvent {
    attributes = Attributes.copyOf(attributes);
  }
}
