package dev.sextant.model;

import java.util.Map;

/**
 * One stored log record. {@code body} is an attribute value (usually a String). {@code traceId} and
 * {@code spanId} are lowercase hex ({@link TraceIds}), empty when the record is not linked. {@code
 * severityNumber} follows OpenTelemetry (1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR,
 * 21-24 FATAL, 0 unspecified).
 */
public record LogRecord(
    String tenant,
    long timeUnixNanos,
    long observedTimeUnixNanos,
    int severityNumber,
    String severityText,
    Object body,
    String serviceName,
    String scopeName,
    String traceId,
    String spanId,
    Map<String, Object> resourceAttributes,
    Map<String, Object> attributes,
    int droppedAttributesCount) {

  public LogRecord {
    severityText = severityText == null ? "" : severityText;
    body = body == null ? "" : body;
    scopeName = scopeName == null ? "" : scopeName;
    traceId = TraceIds.requireOptionalTraceId(traceId == null ? "" : traceId, "traceId");
    spanId = TraceIds.requireOptionalSpanId(spanId == null ? "" : spanId, "spanId");
    resourceAttributes = Attributes.copyOf(resourceAttributes);
    attributes = Attributes.copyOf(attributes);
  }

  /** The body as text: strings as they are, structured bodies in their JSON-like string form. */
  public String bodyText() {
    return body instanceof String s ? s : String.valueOf(body);
  }
}
