package dev.sextant.ingest.spanmetrics;

import dev.sextant.protocol.pipeline.v1.Histogram;
import java.util.Arrays;

/**
 * An explicit-bucket histogram being filled with the observations of one request, sent as a delta
 * point: span durations, and Mastra's {@code *_duration_ms} metric events.
 */
public final class DeltaHistogram {
  private final double[] bounds;
  private final long[] counts;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** {@code bounds} are checked by the caller: finite and increasing. */
  public DeltaHistogram(double[] bounds) {
    this.bounds = bounds;
    this.counts = new long[bounds.length + 1];
  }

  /** Checks bucket bounds once, at configuration time. */
  public static double[] bounds(java.util.List<Double> configured, String what) {
    double[] bounds = configured.stream().mapToDouble(Double::doubleValue).toArray();
    for (int i = 0; i < bounds.length; i++) {
      if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new IllegalArgumentException(what + " must be finite and increasing: " + configured);
      }
    }
    return bounds;
  }

  public void add(double value) {
    int bucket = Arrays.binarySearch(bounds, value);
    // An exact bound belongs to its own bucket (upper bounds are inclusive, as in OTel).
    counts[bucket >= 0 ? bucket : -bucket - 1]++;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  public Histogram histogram() {
    Histogram.Builder histogram =
        Histogram.newBuilder().setCount(count).setSum(sum).setMin(min).setMax(max);
    for (double bound : bounds) {
      histogram.addBounds(bound);
    }
    for (long c : counts) {
      histogram.addBucketCounts(c);
    }
    return histogram.build();
  }
}
