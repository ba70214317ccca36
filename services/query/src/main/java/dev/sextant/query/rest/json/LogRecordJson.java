package dev.sextant.query.rest.json;

import java.util.Map;

/** A log record; {@code body} is a typed JSON value (usually a string). */
public record LogRecordJson(
    String timeUnixNano,
    String observedTimeUnixNano,
    int severityNumber,
    String severityText,
    Object body,
    String serviceName,
    String scopeName,
    String traceId,
    String spanId,
    Map<String, Object> resourceAttributes,
    Map<String, Object> attributes,
    int droppedAttributesCount) {}
