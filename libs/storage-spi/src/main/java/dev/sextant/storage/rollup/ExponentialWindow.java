package dev.sextant.storage.rollup;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.MetricPoint;

/**
 * Count, last sample and the increase of an exponential histogram's window. The increase lives at
 * the lowest scale and the largest zero threshold seen; samples are brought there by merging
 * adjacent buckets and by moving the buckets that overlap the zero bucket into it. Both steps only
 * ever merge, so adding in any grouping gives the same increase.
 */
final class ExponentialWindow implements Window {
  private long count;
  private ExponentialHistogramPoint last;
  private final Histogram increase = Histogram.empty();

  /** A mutable exponential histogram's counts at one scale and zero threshold. */
  private static final class Histogram {
    long count;
    final ExactSum.Accumulator sum = new ExactSum.Accumulator();
    int scale;
    double zeroThreshold;
    long zeroCount;
    final BucketCounts positive;
    final BucketCounts negative;

    private Histogram(
        int scale, double zeroThreshold, BucketCounts positive, BucketCounts negative) {
      this.scale = scale;
      this.zeroThreshold = zeroThreshold;
      this.positive = positive;
      this.negative = negative;
    }

    static Histogram empty() {
      return new Histogram(
          ExponentialHistogramPoint.MAX_SCALE, 0.0, new BucketCounts(), new BucketCounts());
    }

    static Histogram of(ExponentialHistogramPoint point) {
      Histogram h =
          new Histogram(
              point.scale(),
              threshold(point.zeroThreshold()),
              new BucketCounts(point.positive()),
              new BucketCounts(point.negative()));
      h.count = point.count();
      h.zeroCount = point.zeroCount();
      h.sum.add(point.sum());
      return h;
    }

    /** Brings the counts to a scale at most this one and a threshold at least this one. */
    void normalize(int toScale, double toThreshold) {
      if (toScale < scale) {
        positive.downscale(scale - toScale);
        negative.downscale(scale - toScale);
        scale = toScale;
      }
      zeroThreshold = Math.max(zeroThreshold, toThreshold);
      long last = BucketCounts.lastIndexBelow(zeroThreshold, scale);
      if (last != Long.MIN_VALUE) {
        zeroCount += positive.removeUpTo(last) + negative.removeUpTo(last);
      }
    }

    void add(Histogram other) {
      int toScale = Math.min(scale, other.scale);
      double toThreshold = Math.max(zeroThreshold, other.zeroThreshold);
      normalize(toScale, toThreshold);
      other.normalize(toScale, toThreshold);
      count += other.count;
      zeroCount += other.zeroCount;
      positive.add(other.positive);
      negative.add(other.negative);
      sum.add(other.sum.toSum());
    }
  }

  /** A NaN or negative threshold means none. */
  private static double threshold(double zeroThreshold) {
    return zeroThreshold > 0 ? zeroThreshold : 0.0;
  }

  @Override
  public void add(MetricPoint previous, MetricPoint point) {
    ExponentialHistogramPoint p = (ExponentialHistogramPoint) point;
    count++;
    last = p;
    if (previous == null) {
      return;
    }
    Histogram now = Histogram.of(p);
    if (previous instanceof ExponentialHistogramPoint a && Window.sameStart(a, p)) {
      Histogram before = Histogram.of(a);
      int scale = Math.min(before.scale, now.scale);
      double threshold = Math.max(before.zeroThreshold, now.zeroThreshold);
      before.normalize(scale, threshold);
      now.normalize(scale, threshold);
      if (!isReset(before, now)) {
        now.count -= before.count;
        now.zeroCount -= before.zeroCount;
        now.positive.subtract(before.positive);
        now.negative.subtract(before.negative);
        now.sum.add(-a.sum());
      } else {
        now = Histogram.of(p);
      }
    }
    increase.add(now);
  }

  private static boolean isReset(Histogram before, Histogram now) {
    return now.count < before.count
        || now.zeroCount < before.zeroCount
        || before.positive.anyBelow(now.positive)
        || before.negative.anyBelow(now.negative);
  }

  @Override
  public void add(Rollup later) {
    ExponentialHistogramRollup r = (ExponentialHistogramRollup) later;
    count += r.count();
    last = r.last();
    ExponentialHistogramPoint inc = r.increase();
    Histogram other =
        new Histogram(
            inc.scale(),
            inc.zeroThreshold(),
            new BucketCounts(inc.positive()),
            new BucketCounts(inc.negative()));
    other.count = inc.count();
    other.zeroCount = inc.zeroCount();
    other.sum.add(r.sumIncrease());
    increase.add(other);
  }

  @Override
  public Rollup toRollup(long windowStartUnixNanos) {
    ExactSum sum = increase.sum.toSum();
    ExponentialHistogramPoint inc =
        new ExponentialHistogramPoint(
            windowStartUnixNanos,
            last.timeUnixNanos(),
            increase.count,
            sum.value(),
            Double.NaN,
            Double.NaN,
            increase.scale,
            increase.zeroCount,
            increase.zeroThreshold,
            increase.positive.toBuckets(),
            increase.negative.toBuckets());
    return new ExponentialHistogramRollup(windowStartUnixNanos, count, inc, sum, last);
  }
}
