package dev.sextant.storage.query;

import java.util.Map;

/**
 * Log search. Null criteria are not applied. {@code minSeverityNumber} keeps records at or above
 * it; {@code bodyContains} is a case-sensitive substring of the body text; attribute filters
 * compare like {@link TraceQuery}'s (record attribute, else resource attribute).
 */
public record LogQuery(
    String tenant,
    TimeRange range,
    Integer minSeverityNumber,
    String traceId,
    String serviceName,
    Map<String, String> attributes,
    String bodyContains,
    int limit) {

  public static final int MAX_LIMIT = 10_000;

  public LogQuery {
    range = range == null ? TimeRange.ALL : range;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (limit <= 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
    }
  }

  public static LogQuery all(String tenant, int limit) {
    return new LogQuery(tenant, TimeRange.ALL, null, null, null, Map.of(), null, limit);
  }
}
