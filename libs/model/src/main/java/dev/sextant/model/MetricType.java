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
  SUMMARY
}
