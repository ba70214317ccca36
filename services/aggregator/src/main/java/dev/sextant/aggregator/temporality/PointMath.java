package dev.sextant.aggregator.temporality;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.ExponentialHistogramPoint.Buckets;
import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import dev.sextant.model.NumberPoint;
import dev.sextant.model.SummaryPoint;
import java.util.Arrays;

/**
 * Adding a delta to a running sum, and taking the increase between two cumulative points, for every
 * point kind that has a sum. Exponential histograms of different scales meet at the lower scale
 * (adjacent buckets merged, as OpenTelemetry's merge does); a wider zero bucket absorbs the buckets
 * that fall inside it.
 */
public final class PointMath {
  /** Merged exponential histograms are downscaled until each side has at most this many buckets. */
  static final int MAX_EXPONENTIAL_BUCKETS = 4096;

  private PointMath() {}

  /**
   * {@code sum + delta}, timed at the delta's time with the running sum's start; null when the two
   * cannot be added (histograms with different bounds), which the caller treats as a restart.
   */
  public static MetricPoint add(MetricPoint sum, MetricPoint delta) {
    long start = sum.startTimeUnixNanos();
    long time = delta.timeUnixNanos();
    return switch (sum) {
      case NumberPoint s when delta instanceof NumberPoint d ->
          new NumberPoint(start, time, s.value() + d.value());
      case HistogramPoint s when delta instanceof HistogramPoint d -> add(s, d, start, time);
      case ExponentialHistogramPoint s when delta instanceof ExponentialHistogramPoint d ->
          add(s, d, start, time);
      default -> null;
    };
  }

  /**
   * What was added between {@code previous} and {@code current}, two points of one cumulative
   * series, as a delta point timed at {@code current}; when the series went down or restarted (a
   * reset, as Prometheus reads a decrease) the increase is the current point itself.
   */
  public static MetricPoint increase(MetricPoint previous, MetricPoint current) {
    boolean restarted =
        previous.startTimeUnixNanos() != 0
            && current.startTimeUnixNanos() != 0
            && current.startTimeUnixNanos() != previous.startTimeUnixNanos();
    if (!restarted) {
      MetricPoint difference = subtract(current, previous);
      if (difference != null) {
        return difference;
      }
    }
    return retime(current, previous.timeUnixNanos(), current.timeUnixNanos());
  }

  /** The point with other times. */
  public static MetricPoint retime(MetricPoint point, long start, long time) {
    return switch (point) {
      case NumberPoint n -> new NumberPoint(start, time, n.value());
      case HistogramPoint h ->
          new HistogramPoint(
              start, time, h.count(), h.sum(), h.min(), h.max(), h.bounds(), h.bucketCounts());
      case ExponentialHistogramPoint e ->
          new ExponentialHistogramPoint(
              start,
              time,
              e.count(),
              e.sum(),
              e.min(),
              e.max(),
              e.scale(),
              e.zeroCount(),
              e.zeroThreshold(),
              e.positive(),
              e.negative());
      case SummaryPoint s -> new SummaryPoint(start, time, s.count(), s.sum(), s.quantiles());
    };
  }

  /** {@code current - previous} when nothing went down; null when something did (a reset). */
  private static MetricPoint subtract(MetricPoint current, MetricPoint previous) {
    long start = previous.timeUnixNanos();
    long time = current.timeUnixNanos();
    return switch (current) {
      case NumberPoint c when previous instanceof NumberPoint p ->
          c.value() >= p.value() ? new NumberPoint(start, time, c.value() - p.value()) : null;
      case HistogramPoint c when previous instanceof HistogramPoint p ->
          subtract(c, p, start, time);
      case ExponentialHistogramPoint c when previous instanceof ExponentialHistogramPoint p ->
          subtract(c, p, start, time);
      default -> null;
    };
  }

  // ------------------------------------------------------------------ explicit histograms

  private static HistogramPoint add(HistogramPoint s, HistogramPoint d, long start, long time) {
    if (!Arrays.equals(s.bounds(), d.bounds())) {
      return null;
    }
    long[] counts = s.bucketCounts();
    long[] add = d.bucketCounts();
    for (int i = 0; i < counts.length; i++) {
      counts[i] += add[i];
    }
    return new HistogramPoint(
        start,
        time,
        s.count() + d.count(),
        s.sum() + d.sum(),
        min(s.min(), d.min()),
        max(s.max(), d.max()),
        s.bounds(),
        counts);
  }

  private static HistogramPoint subtract(
      HistogramPoint c, HistogramPoint p, long start, long time) {
    if (!Arrays.equals(c.bounds(), p.bounds()) || c.count() < p.count()) {
      return null;
    }
    long[] counts = c.bucketCounts();
    long[] before = p.bucketCounts();
    for (int i = 0; i < counts.length; i++) {
      counts[i] -= before[i];
      if (counts[i] < 0) {
        return null;
      }
    }
    // Min and max of the interval alone are unknown.
    return new HistogramPoint(
        start,
        time,
        c.count() - p.count(),
        c.sum() - p.sum(),
        Double.NaN,
        Double.NaN,
        c.bounds(),
        counts);
  }

  // ------------------------------------------------------------------ exponential histograms

  private static ExponentialHistogramPoint add(
      ExponentialHistogramPoint s, ExponentialHistogramPoint d, long start, long time) {
    double threshold = Math.max(s.zeroThreshold(), d.zeroThreshold());
    int scale = Math.min(s.scale(), d.scale());
    Side positive = new Side();
    Side negative = new Side();
    long zero = 0;
    for (ExponentialHistogramPoint h : new ExponentialHistogramPoint[] {s, d}) {
      zero += h.zeroCount();
      zero += positive.add(h.positive(), h.scale(), threshold);
      zero += negative.add(h.negative(), h.scale(), threshold);
    }
    scale = Math.min(scale, Math.min(positive.fit(scale), negative.fit(scale)));
    return new ExponentialHistogramPoint(
        start,
        time,
        s.count() + d.count(),
        s.sum() + d.sum(),
        min(s.min(), d.min()),
        max(s.max(), d.max()),
        scale,
        zero,
        threshold,
        positive.buckets(scale),
        negative.buckets(scale));
  }

  private static ExponentialHistogramPoint subtract(
      ExponentialHistogramPoint c, ExponentialHistogramPoint p, long start, long time) {
    // A cumulative exponential histogram only ever lowers its scale and widens its zero bucket.
    if (c.scale() > p.scale()
        || c.zeroThreshold() != p.zeroThreshold()
        || c.count() < p.count()
        || c.zeroCount() < p.zeroCount()) {
      return null;
    }
    Buckets positive = minus(c.positive(), downscale(p.positive(), p.scale() - c.scale()));
    Buckets negative = minus(c.negative(), downscale(p.negative(), p.scale() - c.scale()));
    if (positive == null || negative == null) {
      return null;
    }
    return new ExponentialHistogramPoint(
        start,
        time,
        c.count() - p.count(),
        c.sum() - p.sum(),
        Double.NaN,
        Double.NaN,
        c.scale(),
        c.zeroCount() - p.zeroCount(),
        c.zeroThreshold(),
        positive,
        negative);
  }

  /** Buckets at a scale lowered by {@code by}: each new bucket merges 2^by old ones. */
  static Buckets downscale(Buckets buckets, int by) {
    if (by == 0 || buckets.size() == 0) {
      return buckets;
    }
    int first = buckets.offset() >> by;
    int last = (buckets.offset() + buckets.size() - 1) >> by;
    long[] counts = new long[last - first + 1];
    for (int i = 0; i < buckets.size(); i++) {
      counts[((buckets.offset() + i) >> by) - first] += buckets.count(i);
    }
    return new Buckets(first, counts);
  }

  /** {@code a - b} bucket by bucket; null when a bucket would go below zero. */
  private static Buckets minus(Buckets a, Buckets b) {
    if (b.size() == 0) {
      return a;
    }
    int first = Math.min(a.offset(), b.offset());
    int last = Math.max(a.offset() + a.size(), b.offset() + b.size()) - 1;
    long[] counts = new long[last - first + 1];
    for (int i = 0; i < a.size(); i++) {
      counts[a.offset() + i - first] += a.count(i);
    }
    for (int i = 0; i < b.size(); i++) {
      counts[b.offset() + i - first] -= b.count(i);
      if (counts[b.offset() + i - first] < 0) {
        return null;
      }
    }
    return trim(first, counts);
  }

  private static Buckets trim(int offset, long[] counts) {
    int from = 0;
    int to = counts.length;
    while (from < to && counts[from] == 0) {
      from++;
    }
    while (to > from && counts[to - 1] == 0) {
      to--;
    }
    return from == to
        ? Buckets.EMPTY
        : new Buckets(offset + from, Arrays.copyOfRange(counts, from, to));
  }

  /**
   * The upper bound of bucket {@code index} at {@code scale}: base^(index+1), base = 2^2^-scale.
   */
  static double upperBound(int index, int scale) {
    return Math.pow(2, Math.scalb((double) index + 1, -scale));
  }

  /** One side (positive or negative) of merged exponential histograms, kept at the finest scale. */
  private static final class Side {
    private final java.util.List<Buckets> parts = new java.util.ArrayList<>();
    private final java.util.List<Integer> scales = new java.util.ArrayList<>();

    /**
     * Adds buckets; returns the count of those inside the zero threshold, which the zero bucket
     * takes.
     */
    long add(Buckets buckets, int scale, double threshold) {
      long absorbed = 0;
      int keepFrom = 0;
      while (keepFrom < buckets.size()
          && upperBound(buckets.offset() + keepFrom, scale) <= threshold) {
        absorbed += buckets.count(keepFrom);
        keepFrom++;
      }
      if (keepFrom < buckets.size()) {
        long[] kept = new long[buckets.size() - keepFrom];
        for (int i = 0; i < kept.length; i++) {
          kept[i] = buckets.count(keepFrom + i);
        }
        parts.add(new Buckets(buckets.offset() + keepFrom, kept));
        scales.add(scale);
      }
      return absorbed;
    }

    /** The highest scale at or below {@code scale} at which the merged buckets fit the cap. */
    int fit(int scale) {
      int s = scale;
      while (s > dev.sextant.model.ExponentialHistogramPoint.MIN_SCALE
          && span(s) > MAX_EXPONENTIAL_BUCKETS) {
        s--;
      }
      return s;
    }

    private long span(int scale) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (int i = 0; i < parts.size(); i++) {
        int by = scales.get(i) - scale;
        Buckets b = parts.get(i);
        first = Math.min(first, b.offset() >> by);
        last = Math.max(last, (b.offset() + b.size() - 1) >> by);
      }
      return parts.isEmpty() ? 0 : last - first + 1;
    }

    Buckets buckets(int scale) {
      if (parts.isEmpty()) {
        return Buckets.EMPTY;
      }
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      java.util.List<Buckets> scaled = new java.util.ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Buckets b = downscale(parts.get(i), scales.get(i) - scale);
        scaled.add(b);
        first = Math.min(first, b.offset());
        last = Math.max(last, b.offset() + b.size() - 1);
      }
      long[] counts = new long[last - first + 1];
      for (Buckets b : scaled) {
        for (int i = 0; i < b.size(); i++) {
          counts[b.offset() + i - first] += b.count(i);
        }
      }
      return new Buckets(first, counts);
    }
  }

  /** NaN means unknown: the minimum of an unknown and anything is unknown. */
  private static double min(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }
}
