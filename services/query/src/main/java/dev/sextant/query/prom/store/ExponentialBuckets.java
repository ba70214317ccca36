package dev.sextant.query.prom.store;

import dev.sextant.model.ExponentialHistogramPoint;
import dev.sextant.model.MetricPoint;
import java.util.List;
import java.util.TreeSet;

/**
 * Exponential histograms read as classic buckets. A point's boundaries, from below: the negative
 * buckets (most negative first; bucket {@code i} covers {@code [-base^(i+1), -base^i)}, so its
 * upper bound is {@code -base^i}), the zero bucket up to {@code zeroThreshold}, then the positive
 * buckets ({@code (base^i, base^(i+1)]}, upper bound {@code base^(i+1)}), where {@code base =
 * 2^(2^-scale)}. The cumulative count at a boundary that is not one of the point's own (another
 * point had a finer scale or other offsets) is the count up to the point's highest boundary below
 * it: never more than the true count, and monotonic, as histogram_quantile needs.
 */
public final class ExponentialBuckets {
  private ExponentialBuckets() {}

  /** Every boundary of every exponential point, ascending. */
  static double[] boundaryUnion(List<MetricPoint> points) {
    TreeSet<Double> all = new TreeSet<>();
    for (MetricPoint p : points) {
      if (p instanceof ExponentialHistogramPoint e) {
        for (double b : boundaries(e)) {
          all.add(b);
        }
      }
    }
    double[] out = new double[all.size()];
    int i = 0;
    for (double b : all) {
      out[i++] = b;
    }
    return out;
  }

  /** The cumulative count of {@code point} at each of {@code union}'s boundaries. */
  static double[] cumulativeAt(ExponentialHistogramPoint point, double[] union) {
    double[] own = boundaries(point);
    long[] counts = counts(point);
    double[] out = new double[union.length];
    long cumulative = 0;
    int next = 0;
    for (int i = 0; i < union.length; i++) {
      while (next < own.length && own[next] <= union[i]) {
        cumulative += counts[next++];
      }
      out[i] = cumulative;
    }
    return out;
  }

  /** The point's upper bucket boundaries, ascending, one per entry of {@link #counts}. */
  public static double[] boundaries(ExponentialHistogramPoint p) {
    ExponentialHistogramPoint.Buckets neg = p.negative();
    ExponentialHistogramPoint.Buckets pos = p.positive();
    double[] out = new double[neg.size() + 1 + pos.size()];
    int k = 0;
    for (int i = neg.size() - 1; i >= 0; i--) {
      out[k++] = -power(p.scale(), neg.offset() + i);
    }
    out[k++] = p.zeroThreshold();
    for (int i = 0; i < pos.size(); i++) {
      out[k++] = power(p.scale(), pos.offset() + i + 1);
    }
    // Boundaries so close that they round to one double would repeat; keep them ascending.
    for (int i = 1; i < out.length; i++) {
      out[i] = Math.max(out[i], out[i - 1]);
    }
    return out;
  }

  /** The counts matching {@link #boundaries}. */
  public static long[] counts(ExponentialHistogramPoint p) {
    ExponentialHistogramPoint.Buckets neg = p.negative();
    ExponentialHistogramPoint.Buckets pos = p.positive();
    long[] out = new long[neg.size() + 1 + pos.size()];
    int k = 0;
    for (int i = neg.size() - 1; i >= 0; i--) {
      out[k++] = neg.count(i);
    }
    out[k++] = p.zeroCount();
    for (int i = 0; i < pos.size(); i++) {
      out[k++] = pos.count(i);
    }
    return out;
  }

  /** {@code base^index} with {@code base = 2^(2^-scale)}: exact powers of two for scale <= 0. */
  static double power(int scale, int index) {
    if (scale <= 0) {
      return Math.scalb(1.0, index << -scale);
    }
    return Math.pow(2.0, Math.scalb((double) index, -scale));
  }
}
