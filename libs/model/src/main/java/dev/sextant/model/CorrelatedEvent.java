package dev.sextant.model;

/**
 * A point-in-time record tied to the trace world: a raw metric observation, a score or a feedback.
 * Each has a producer-given id (so a resent event is stored once), a time, an optional trace and
 * span, and a {@link Correlation}. {@link #name()} is what the event is grouped by: the metric
 * name, the scorer id, the feedback type.
 */
public sealed interface CorrelatedEvent permits MetricEvent, Score, Feedback {
  String tenant();

  String id();

  long timeUnixNanos();

  String name();

  /** 32 hex characters, or empty. */
  String traceId();

  /** 16 hex characters, or empty. */
  String spanId();

  Correlation correlation();

  /** Checks the fields every event shares; called by the records' constructors. */
  static void check(String tenant, String id, String name, String traceId, String spanId) {
    if (tenant == null || tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant is required");
    }
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("id is required");
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is required");
    }
    TraceIds.requireOptionalTraceId(traceId, "traceId");
    TraceIds.requireOptionalSpanId(spanId, "spanId");
  }
}
