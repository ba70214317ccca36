package dev.sextant.storage.rollup;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import java.util.Arrays;

/**
 * Bucket counts of one sign of an exponential histogram by bucket index, growable in both
 * directions: lets increases at different scales and zero thresholds be added exactly.
 */
final class BucketCounts {
  private int offset;
  private long[] counts = new long[0];

  BucketCounts() {}

  BucketCounts(Buckets buckets) {
    offset = buckets.offset();
    counts = buckets.counts();
  }

  long get(int index) {
    int i = index - offset;
    return i >= 0 && i < counts.length ? counts[i] : 0;
  }

  int firstIndex() {
    return offset;
  }

  /** One past the last index held. */
  int endIndex() {
    return offset + counts.length;
  }

  void add(int index, long count) {
    if (count == 0) {
      return;
    }
    if (counts.length == 0) {
      offset = index;
      counts = new long[] {count};
      return;
    }
    if (index < offset) {
      long[] grown = new long[counts.length + (offset - index)];
      System.arraycopy(counts, 0, grown, offset - index, counts.length);
      counts = grown;
      offset = index;
    } else if (index >= offset + counts.length) {
      counts = Arrays.copyOf(counts, index - offset + 1);
    }
    counts[index - offset] += count;
  }

  void add(BucketCounts other) {
    for (int i = 0; i < other.counts.length; i++) {
      add(other.offset + i, other.counts[i]);
    }
  }

  /** Merges each run of {@code 2^by} buckets into one: the buckets of a scale {@code by} lower. */
  void downscale(int by) {
    if (by == 0 || counts.length == 0) {
      return;
    }
    BucketCounts merged = new BucketCounts();
    for (int i = 0; i < counts.length; i++) {
      merged.add((offset + i) >> by, counts[i]);
    }
    offset = merged.offset;
    counts = merged.counts;
  }

  /** Removes the buckets at indexes up to {@code lastIndex} and returns their total. */
  long removeUpTo(long lastIndex) {
    long removed = 0;
    BucketCounts kept = new BucketCounts();
    for (int i = 0; i < counts.length; i++) {
      if (offset + i <= lastIndex) {
        removed += counts[i];
      } else {
        kept.add(offset + i, counts[i]);
      }
    }
    offset = kept.offset;
    counts = kept.counts;
    return removed;
  }

  /** Whether some bucket of {@code other} holds less than the same bucket here. */
  boolean anyBelow(BucketCounts other) {
    int from = Math.min(firstIndex(), other.firstIndex());
    int to = Math.max(endIndex(), other.endIndex());
    for (int index = from; index < to; index++) {
      if (other.get(index) < get(index)) {
        return true;
      }
    }
    return false;
  }

  void subtract(BucketCounts other) {
    for (int i = 0; i < other.counts.length; i++) {
      add(other.offset + i, -other.counts[i]);
    }
  }

  /** The buckets without leading and trailing zeros, so equal counts compare equal. */
  Buckets toBuckets() {
    int from = 0;
    int to = counts.length;
    while (from < to && counts[from] == 0) {
      from++;
    }
    while (to > from && counts[to - 1] == 0) {
      to--;
    }
    if (from == to) {
      return Buckets.EMPTY;
    }
    return new Buckets(offset + from, Arrays.copyOfRange(counts, from, to));
  }

  // ------------------------------------------------------------------ zero threshold

  private static final int FINEST = ExponentialHistogramPoint.MAX_SCALE;
  private static final double SCALE_FACTOR = Math.scalb(1 / Math.log(2), FINEST);

  /**
   * The index of the last bucket at {@code scale} whose lower bound is below {@code threshold}: the
   * buckets up to it overlap the zero bucket and are merged into it, as Prometheus does. The index
   * is computed once at the finest scale and shifted, so every scale agrees exactly and merging is
   * independent of order; {@link Long#MIN_VALUE} when nothing overlaps.
   */
  static long lastIndexBelow(double threshold, int scale) {
    if (!(threshold > 0)) {
      return Long.MIN_VALUE;
    }
    if (threshold == Double.POSITIVE_INFINITY) {
      return Long.MAX_VALUE;
    }
    return indexAtFinestScale(threshold) >> (FINEST - scale);
  }

  /**
   * The bucket holding {@code value} at the finest scale: the i with {@code base^i < value <=
   * base^(i+1)}, by OpenTelemetry's logarithm mapping (exact for powers of two).
   */
  private static long indexAtFinestScale(double value) {
    long bits = Double.doubleToRawLongBits(value);
    if ((bits & 0x000fffffffffffffL) == 0 && Math.getExponent(value) >= Double.MIN_EXPONENT) {
      return ((long) Math.getExponent(value) << FINEST) - 1;
    }
    return (long) Math.floor(StrictMath.log(value) * SCALE_FACTOR);
  }
}
