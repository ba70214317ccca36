package dev.sextant.promql.functions;

import java.util.Arrays;

/**
 * The quantile of classic histogram buckets, exactly as histogram_quantile computes it; other APIs
 * of Sextant (the metric query API) use it so their percentiles equal PromQL's over the same data.
 */
public final class BucketQuantile {
  private BucketQuantile() {}

  /**
   * Prometheus's bucketQuantile: buckets sorted by bound, equal bounds merged, counts forced
   * monotonic (float rounding in rates can break that), the +Inf bucket required.
   *
   * @param bounds the upper bounds ({@code le})
   * @param counts the cumulative count at each bound
   */
  public static double of(double q, double[] bounds, double[] counts, int n) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(bounds[a], bounds[b]));
    double[] ub = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      ub[i] = bounds[order[i]];
      c[i] = counts[order[i]];
    }
    if (ub[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    // Coalesce buckets with the same bound.
    int m = 0;
    for (int i = 1; i < n; i++) {
      if (ub[i] == ub[m]) {
        c[m] += c[i];
      } else {
        m++;
        ub[m] = ub[i];
        c[m] = c[i];
      }
    }
    n = m + 1;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (c[i] > max) {
        max = c[i];
      } else if (c[i] < max) {
        c[i] = max;
      }
    }
    if (n < 2) {
      return Double.NaN;
    }
    double observations = c[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && !(c[b] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      return ub[n - 2];
    }
    if (b == 0 && ub[0] <= 0) {
      return ub[0];
    }
    double bucketStart = 0;
    double bucketEnd = ub[b];
    double count = c[b];
    if (b > 0) {
      bucketStart = ub[b - 1];
      count -= c[b - 1];
      rank -= c[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }
}
