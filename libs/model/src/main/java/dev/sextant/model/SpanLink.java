package dev.sextant.model;

import java.util.Map;

/** A link from a span to another span, possibly in another trace. */
public record SpanLink(String traceId, String spanId, Map<String, Object> attributes) {
  public SpanLink {
    attributes = Attributes.copyOf(attributes);
  }
}
