package dev.sextant.storage.query;

import dev.sextant.model.CorrelatedEvent;
import dev.sextant.model.MetricEvent;
import java.util.Arrays;
import java.util.HashMap;
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
    Accumulator accumulator = new Accumulator(bucketNanos, percentiles);
    for (CorrelatedEvent e : events) {
      if (e instanceof MetricEvent metric) {
        accumulator.add(metric);
      }
    }
    return accumulator.percentiles();
  }

  /**
   * The reference, event by event, for a store that visits more events than it could hold as
   * objects: keeps each bucket's values only. Not thread-safe.
   */
  public static final class Accumulator {
    private final long bucketNanos;
    private final double[] percentiles;
    private final TreeMap<Long, double[]> values = new TreeMap<>();
    private final Map<Long, Integer> sizes = new HashMap<>();

    public Accumulator(long bucketNanos, double[] percentiles) {
      check(bucketNanos, percentiles);
      this.bucketNanos = bucketNanos;
      this.percentiles = percentiles.clone();
    }

    public void add(MetricEvent e) {
      long bucket = Math.floorDiv(e.timeUnixNanos(), bucketNanos) * bucketNanos;
      double[] held = values.computeIfAbsent(bucket, b -> new double[8]);
      int size = sizes.merge(bucket, 1, Integer::sum);
      if (size > held.length) {
        held = Arrays.copyOf(held, held.length * 2);
        values.put(bucket, held);
      }
      held[size - 1] = e.value();
    }

    /** Per bucket holding an event, ascending: one value per requested percentile, in order. */
    public NavigableMap<Long, double[]> percentiles() {
      TreeMap<Long, double[]> out = new TreeMap<>();
      for (Map.Entry<Long, double[]> bucket : values.entrySet()) {
        double[] sorted = Arrays.copyOf(bucket.getValue(), sizes.get(bucket.getKey()));
        Arrays.sort(sorted);
        double[] answer = new double[percentiles.length];
        for (int i = 0; i < percentiles.length; i++) {
          answer[i] = percentile(sorted, percentiles[i]);
        }
        out.put(bucket.getKey(), answer);
      }
      return out;
    }
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
