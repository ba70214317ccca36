package dev.sextant.model;

import java.util.Arrays;

/**
 * A point of a histogram with explicit buckets: {@code bucketCounts} has one more entry than {@code
 * bounds} (the last bucket is +Inf). {@code min} and {@code max} are NaN when unknown.
 */
public record HistogramPoint(
    long startTimeUnixNanos,
    long timeUnixNanos,
    long count,
    double sum,
    double min,
    double max,
    double[] bounds,
    long[] bucketCounts)
    implements MetricPoint {

  public HistogramPoint {
    bounds = bounds.clone();
    bucketCounts = bucketCounts.clone();
    if (bucketCounts.length != bounds.length + 1) {
      throw new IllegalArgumentException(
          "a histogram with "
              + bounds.length
              + " bounds needs "
              + (bounds.length + 1)
              + " buckets");
    }
  }

  @Override
  public double[] bounds() {
    return bounds.clone();
  }

  @Override
  public long[] bucketCounts() {
    return bucketCounts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramPoint h
        && startTimeUnixNanos == h.startTimeUnixNanos
        && timeUnixNanos == h.timeUnixNanos
        && count == h.count
        && Double.compare(sum, h.sum) == 0
        && Double.compare(min, h.min) == 0
        && Double.compare(max, h.max) == 0
        && Arrays.equals(bounds, h.bounds)
        && Arrays.equals(bucketCounts, h.bucketCounts);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timeUnixNanos) * 31 + Arrays.hashCode(bucketCounts);
  }

  @Override
  public String toString() {
    return "HistogramPoint[t="
        + timeUnixNanos
        + ", count="
        + count
        + ", sum="
        + sum
        + ", bounds="
        + Arrays.toString(bounds)
        + ", counts="
        + Arrays.toString(bucketCounts)
        + "]";
  }
}
