package dev.sextant.model;

/** One observation of a series at a time; {@code startTimeUnixNanos} is 0 when unknown. */
public sealed interface MetricPoint
    permits NumberPoint, HistogramPoint, ExponentialHistogramPoint, SummaryPoint {
  long startTimeUnixNanos();

  long timeUnixNanos();
}
