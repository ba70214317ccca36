package dev.sextant.model;

/** The outcome of a span, as in OpenTelemetry. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR
}
