package dev.sextant.promql.functions;

import java.util.Arrays;

/** The φ-quantile with linear interpolation that quantile and quantile_over_time share. */
public final class Quantiles {
  private Quantiles() {}

  /** Sorts {@code values[0..n)} in place (NaN first, as Prometheus) and interpolates. */
  public static double quantile(double q, double[] values, int n) {
    if (n == 0) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    sortNaNFirst(values, n);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  private static void sortNaNFirst(double[] values, int n) {
    Arrays.sort(values, 0, n); // NaN sorts last in Java
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
  }
}
