package dev.sextant.query.rest.json;

import java.util.List;
import java.util.Map;

/**
 * A span of a trace tree. Times are decimal strings (Unix nanoseconds exceed 2^53, which JSON
 * readers in JavaScript cannot hold exactly), as in OTLP JSON.
 */
public record SpanJson(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    String kind,
    String startTimeUnixNano,
    String endTimeUnixNano,
    long durationNanos,
    StatusJson status,
    String serviceName,
    ScopeJson scope,
    Map<String, Object> resourceAttributes,
    Map<String, Object> attributes,
    List<EventJson> events,
    List<LinkJson> links,
    int droppedAttributesCount,
    List<SpanJson> children) {

  /** The span's outcome: {@code UNSET}, {@code OK} or {@code ERROR}, and a message. */
  public record StatusJson(String code, String message) {}

  /** The instrumentation scope that made the span. */
  public record ScopeJson(String name, String version) {}

  public record EventJson(String name, String timeUnixNano, Map<String, Object> attributes) {}

  public record LinkJson(String traceId, String spanId, Map<String, Object> attributes) {}
}
