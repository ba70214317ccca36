package dev.sextant.model;

/** The kind of a metric series. */
public enum MetricType {
  /** A monotonic sum. */
  COUNTER,
  /** A non-monotonic sum. */
  UP_DOWN_COUNTER,
  GAUGE,
  /** A histogram with explicit bucket bounds. */
  HISTOGRAM,
  EXPONENTIAL_HISTOGRAM,
  SUMMARY,
  /**
   * A float series whose sender did not say what it is (Prometheus remote write, untyped
   * exposition); stored and queried like a gauge, never in conflict with a typed series.
   */
  UNKNOWN
}
