package dev.sextant.model;

import java.util.List;

/**
 * A point of a summary: a count and sum since the start, and client-computed quantiles
 * (OpenTelemetry Summary, Prometheus summary). Quantiles cannot be merged across series or time;
 * they are stored and returned as sent, sorted by quantile.
 */
public record SummaryPoint(
    long startTimeUnixNanos, long timeUnixNanos, long count, double sum, List<Quantile> quantiles)
    implements MetricPoint {

  public SummaryPoint {
    quantiles = quantiles == null ? List.of() : List.copyOf(quantiles);
  }

  /** The value at a quantile in [0, 1]. */
  public record Quantile(double quantile, double value) {}
}
