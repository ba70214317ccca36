package dev.sextant.model;

import java.util.Arrays;

/**
 * A point of an exponential (base-2) histogram, as OpenTelemetry defines it: bucket {@code i} of
 * {@link #positive} counts values in {@code (base^(offset+i), base^(offset+i+1)]} with {@code base
 * = 2^(2^-scale)}; {@link #negative} mirrors that for negative values; {@code zeroCount} counts
 * values whose magnitude is at most {@code zeroThreshold}. {@code min} and {@code max} are NaN when
 * unknown. Stored as sent: nothing is rebucketed on the way in.
 */
public record ExponentialHistogramPoint(
    long startTimeUnixNanos,
    long timeUnixNanos,
    long count,
    double sum,
    double min,
    double max,
    int scale,
    long zeroCount,
    double zeroThreshold,
    Buckets positive,
    Buckets negative)
    implements MetricPoint {

  /** The smallest and largest scales OpenTelemetry allows. */
  public static final int MIN_SCALE = -10;

  public static final int MAX_SCALE = 20;

  public ExponentialHistogramPoint {
    positive = positive == null ? Buckets.EMPTY : positive;
    negative = negative == null ? Buckets.EMPTY : negative;
  }

  /** Consecutive bucket counts starting at bucket index {@code offset}. */
  public record Buckets(int offset, long[] counts) {
    public static final Buckets EMPTY = new Buckets(0, new long[0]);

    public Buckets {
      counts = counts.clone();
    }

    @Override
    public long[] counts() {
      return counts.clone();
    }

    /** The number of buckets, without copying them. */
    public int size() {
      return counts.length;
    }

    /** Bucket {@code i} (0-based from {@code offset}), without copying. */
    public long count(int i) {
      return counts[i];
    }

    public long total() {
      long total = 0;
      for (long c : counts) {
        total += c;
      }
      return total;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Buckets b && offset == b.offset && Arrays.equals(counts, b.counts);
    }

    @Override
    public int hashCode() {
      return offset * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
      return "Buckets[offset=" + offset + ", counts=" + Arrays.toString(counts) + "]";
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExponentialHistogramPoint h
        && startTimeUnixNanos == h.startTimeUnixNanos
        && timeUnixNanos == h.timeUnixNanos
        && count == h.count
        && Double.compare(sum, h.sum) == 0
        && Double.compare(min, h.min) == 0
        && Double.compare(max, h.max) == 0
        && scale == h.scale
        && zeroCount == h.zeroCount
        && Double.compare(zeroThreshold, h.zeroThreshold) == 0
        && positive.equals(h.positive)
        && negative.equals(h.negative);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timeUnixNanos) * 31 + positive.hashCode() * 7 + negative.hashCode();
  }
}
