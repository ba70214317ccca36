package dev.sextant.model;

/** The role of a span, as in OpenTelemetry. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER
}
