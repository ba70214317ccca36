package dev.sextant.storage.query;

import dev.sextant.model.StatusCode;
import java.util.Map;

/**
 * Trace search: a trace matches when one of its spans, started within {@code range}, meets every
 * criterion given. Null criteria are not applied. Attribute filters compare {@link
 * dev.sextant.model.Attributes#filterText} of the span attribute, or else of the resource
 * attribute, with the given text.
 */
public record TraceQuery(
    String tenant,
    TimeRange range,
    String serviceName,
    String spanName,
    StatusCode status,
    Long minDurationNanos,
    Long maxDurationNanos,
    Map<String, String> attributes,
    int limit) {

  public static final int MAX_LIMIT = 1000;

  public TraceQuery {
    range = range == null ? TimeRange.ALL : range;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
    }
  }

  public static TraceQuery all(String tenant, int limit) {
    return new TraceQuery(tenant, TimeRange.ALL, null, null, null, null, null, Map.of(), limit);
  }
}
