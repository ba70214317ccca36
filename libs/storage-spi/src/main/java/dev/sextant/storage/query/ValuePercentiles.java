package dev.sextant.storage.query;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MetricEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The reference for {@link dev.sextant.storage.EventStore#percentiles}: exact percentiles of metric
 * events' values per time bucket, each by linear interpolation between the closest ranks
 * (PostgreSQL's {@code percentile_cont}, ClickHouse's {@code quantileExactInclusive}).
 */
public final class ValuePercentiles {
  private ValuePercentiles() {}

  /** Refuses a bucket length below 1 ns and a percentile outside 0..1 (or none). */
  public static void check(long bucketNanos, double[] percentiles) {
    if (bucketNanos <= 0) {
      throw new IllegalArgumentException("bucket must be positive");
    }
    if (percentiles.length == 0) {
      throw new IllegalArgumentException("at least one percentile is required");
    }
    for (double p : percentiles) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("percentiles must be within 0..1, not " + p);
      }
    }
  }

  /**
   * Per bucket start (a multiple of {@code bucketNanos} since the Unix epoch) holding a metric
   * event, ascending: one value per requested percentile, in order. Events that are no metric
   * events have no value and are left out.
   */
  public static NavigableMap<Long, double[]> of(
      List<? extends CorrelatedEvent> events, long bucketNanos, double[] percentiles) {
    check(bucketNanos, percentiles);
    TreeMap<Long, List<Double>> buckets = new TreeMap<>();
    for (CorrelatedEvent e : events) {
      if (e instanceof MetricEvent metric) {
        buckets
            .computeIfAbsent(
                Math.floorDiv(e.timeUnixNanos(), bucketNanos) * bucketNanos, b -> new ArrayList<>())
            .add(metric.value());
      }
    }
    TreeMap<Long, double[]> out = new TreeMap<>();
    for (Map.Entry<Long, List<Double>> bucket : buckets.entrySet()) {
      double[] sorted = bucket.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      double[] values = new double[percentiles.length];
      for (int i = 0; i < percentiles.length; i++) {
        values[i] = percentile(sorted, percentiles[i]);
      }
      out.put(bucket.getKey(), values);
    }
    return out;
  }

  /** Linear interpolation between the closest ranks of the sorted values (at least one). */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double rank = p * (sorted.length - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  }
}
