package dev.sextant.model;

import java.util.List;
import java.util.Map;

/**
 * One stored span. Ids are lowercase hex ({@link TraceIds}); {@code parentSpanId} is empty for a
 * root span. {@code serviceName} is the resource's {@code service.name} (or {@code
 * unknown_service}), kept apart because nearly every query filters on it.
 */
public record Span(
    String tenant,
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    SpanKind kind,
    long startTimeUnixNanos,
    long endTimeUnixNanos,
    StatusCode statusCode,
    String statusMessage,
    String serviceName,
    String scopeName,
    String scopeVersion,
    Map<String, Object> resourceAttributes,
    Map<String, Object> attributes,
    List<SpanEvent> events,
    List<SpanLink> links,
    int droppedAttributesCount) {

  public Span {
    TraceIds.requireTraceId(traceId, "traceId");
    TraceIds.requireSpanId(spanId, "spanId");
    parentSpanId =
        TraceIds.requireOptionalSpanId(parentSpanId == null ? "" : parentSpanId, "parentSpanId");
    statusMessage = statusMessage == null ? "" : statusMessage;
    scopeName = scopeName == null ? "" : scopeName;
    scopeVersion = scopeVersion == null ? "" : scopeVersion;
    resourceAttributes = Attributes.copyOf(resourceAttributes);
    attributes = Attributes.copyOf(attributes);
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
  }

  /** This span with other attributes, everything else the same. */
  public Span withAttributes(Map<String, Object> newAttributes) {
    return new Span(
        tenant,
        traceId,
        spanId,
        parentSpanId,
        name,
        kind,
        startTimeUnixNanos,
        endTimeUnixNanos,
        statusCode,
        statusMessage,
        serviceName,
        scopeName,
        scopeVersion,
        resourceAttributes,
        newAttributes,
        events,
        links,
        droppedAttributesCount);
  }

  public long durationNanos() {
    return endTimeUnixNanos - startTimeUnixNanos;
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }
}
