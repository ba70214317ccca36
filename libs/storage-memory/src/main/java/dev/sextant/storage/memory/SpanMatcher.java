package dev.sextant.storage.memory;

import dev.sextant.model.Span;
import dev.sextant.storage.query.TraceQuery;

/** Whether one span meets every criterion of a trace query. */
final class SpanMatcher {
  private SpanMatcher() {}

  static boolean matches(TraceQuery query, Span span) {
    return query.range().contains(span.startTimeUnixNanos())
        && (query.serviceName() == null || query.serviceName().equals(span.serviceName()))
        && (query.spanName() == null || query.spanName().equals(span.name()))
        && (query.status() == null || query.status() == span.statusCode())
        && (query.minDurationNanos() == null || span.durationNanos() >= query.minDurationNanos())
        && (query.maxDurationNanos() == null || span.durationNanos() <= query.maxDurationNanos())
        && AttributeFilter.matches(
            query.attributes(), span.attributes(), span.resourceAttributes());
  }
}
