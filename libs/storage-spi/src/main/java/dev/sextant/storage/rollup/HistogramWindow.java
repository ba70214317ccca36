package dev.sextant.storage.rollup;

import dev.sextant.model.HistogramPoint;
import dev.sextant.model.MetricPoint;
import java.util.Arrays;

/**
 * Count, last sample and the increase of an explicit-bucket histogram's window. The increase keeps
 * the union of all bounds it saw: a count of bucket {@code (a, b]} goes to the bucket ending at b,
 * which makes adding increases with different bounds exact and order-independent.
 */
final class HistogramWindow implements Window {
  private long count;
  private HistogramPoint last;
  private long countIncrease;
  private final ExactSum.Accumulator sumIncrease = new ExactSum.Accumulator();
  private double[] bounds = new double[0];
  private long[] buckets = new long[1];

  @Override
  public void add(MetricPoint previous, MetricPoint point) {
    HistogramPoint p = (HistogramPoint) point;
    count++;
    last = p;
    if (previous == null) {
      return;
    }
    double[] pointBounds = p.bounds();
    long[] pointCounts = p.bucketCounts();
    if (previous instanceof HistogramPoint a && !isReset(a, p, pointBounds, pointCounts)) {
      long[] before = a.bucketCounts();
      for (int i = 0; i < pointCounts.length; i++) {
        pointCounts[i] -= before[i];
      }
      countIncrease += p.count() - a.count();
      sumIncrease.add(p.sum());
      sumIncrease.add(-a.sum());
    } else {
      countIncrease += p.count();
      sumIncrease.add(p.sum());
    }
    addBuckets(pointBounds, pointCounts);
  }

  /** A new start, other bounds, or a count or bucket that went down. */
  private static boolean isReset(
      HistogramPoint a, HistogramPoint b, double[] bBounds, long[] bCounts) {
    if (!Window.sameStart(a, b) || b.count() < a.count() || !Arrays.equals(a.bounds(), bBounds)) {
      return true;
    }
    long[] aCounts = a.bucketCounts();
    for (int i = 0; i < bCounts.length; i++) {
      if (bCounts[i] < aCounts[i]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void add(Rollup later) {
    HistogramRollup r = (HistogramRollup) later;
    count += r.count();
    last = r.last();
    countIncrease += r.increase().count();
    sumIncrease.add(r.sumIncrease());
    addBuckets(r.increase().bounds(), r.increase().bucketCounts());
  }

  private void addBuckets(double[] otherBounds, long[] otherCounts) {
    if (!Arrays.equals(bounds, otherBounds)) {
      double[] union = union(bounds, otherBounds);
      buckets = regrid(bounds, buckets, union);
      otherCounts = regrid(otherBounds, otherCounts, union);
      bounds = union;
    }
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] += otherCounts[i];
    }
  }

  /** The sorted distinct bounds of both (as {@link Double#compare} orders and tells apart). */
  private static double[] union(double[] a, double[] b) {
    double[] all = new double[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (n == 0 || Double.compare(all[n - 1], all[i]) != 0) {
        all[n++] = all[i];
      }
    }
    return Arrays.copyOf(all, n);
  }

  /** Counts over {@code from} moved to the buckets of {@code to} with the same upper bound. */
  private static long[] regrid(double[] from, long[] counts, double[] to) {
    long[] moved = new long[to.length + 1];
    for (int i = 0; i < from.length; i++) {
      moved[Arrays.binarySearch(to, from[i])] += counts[i];
    }
    moved[to.length] += counts[from.length];
    return moved;
  }

  @Override
  public Rollup toRollup(long windowStartUnixNanos) {
    ExactSum sum = sumIncrease.toSum();
    HistogramPoint increase =
        new HistogramPoint(
            windowStartUnixNanos,
            last.timeUnixNanos(),
            countIncrease,
            sum.value(),
            Double.NaN,
            Double.NaN,
            bounds,
            buckets);
    return new HistogramRollup(windowStartUnixNanos, count, increase, sum, last);
  }
}
