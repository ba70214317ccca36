package dev.sextant.promql.functions;

import java.util.Map;

/** The {@code *_over_time} functions: an aggregate of each window's values. */
final class OverTimeFunctions {
  private OverTimeFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    r.put("sum_over_time", simple(OverTimeFunctions::sum));
    r.put("avg_over_time", simple(OverTimeFunctions::avg));
    r.put("min_over_time", simple(OverTimeFunctions::min));
    r.put("max_over_time", simple(OverTimeFunctions::max));
    r.put("count_over_time", simple(w -> w.size()));
    r.put("stddev_over_time", simple(w -> Math.sqrt(stdvar(w))));
    r.put("stdvar_over_time", simple(OverTimeFunctions::stdvar));
    r.put("present_over_time", simple(w -> 1));
    // The engine turns "present in no series" into absent_over_time's output.
    r.put("absent_over_time", simple(w -> 1));
    r.put(
        "last_over_time",
        new RangeFunction() {
          @Override
          public int minSamples() {
            return 1;
          }

          @Override
          public boolean keepsName() {
            return true;
          }

          @Override
          public double apply(Window w, double[] scalarArgs) {
            return w.last();
          }
        });
    r.put(
        "quantile_over_time",
        new RangeFunction() {
          @Override
          public int minSamples() {
            return 1;
          }

          @Override
          public double apply(Window w, double[] scalarArgs) {
            // A copy: quantile sorts, and the window's arrays belong to the series.
            double[] copy = java.util.Arrays.copyOfRange(w.values, w.from, w.to);
            return Quantiles.quantile(scalarArgs[0], copy, copy.length);
          }
        });
  }

  private interface WindowFn {
    double apply(Window w);
  }

  private static RangeFunction simple(WindowFn fn) {
    return new RangeFunction() {
      @Override
      public int minSamples() {
        return 1;
      }

      @Override
      public double apply(Window w, double[] scalarArgs) {
        return fn.apply(w);
      }
    };
  }

  /** A plain sum, as Prometheus 2.42 (compensation would turn Inf + x into NaN). */
  private static double sum(Window w) {
    double sum = 0;
    for (int i = w.from; i < w.to; i++) {
      sum += w.values[i];
    }
    return sum;
  }

  /**
   * An incremental mean, so large values do not overflow; an infinite mean stays as it is unless a
   * NaN or an infinity of the other sign arrives (Prometheus's rule).
   */
  private static double avg(Window w) {
    KahanSum mean = new KahanSum();
    double count = 0;
    for (int i = w.from; i < w.to; i++) {
      double v = w.values[i];
      count++;
      if (Double.isInfinite(mean.sum)) {
        if (Double.isInfinite(v) && (mean.sum > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      mean.add(v / count - mean.sum / count);
    }
    return Double.isInfinite(mean.sum) ? mean.sum : mean.value();
  }

  private static double min(Window w) {
    double min = w.first();
    for (int i = w.from; i < w.to; i++) {
      double v = w.values[i];
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return min;
  }

  private static double max(Window w) {
    double max = w.first();
    for (int i = w.from; i < w.to; i++) {
      double v = w.values[i];
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return max;
  }

  private static double stdvar(Window w) {
    double count = 0;
    KahanSum mean = new KahanSum();
    KahanSum aux = new KahanSum();
    for (int i = w.from; i < w.to; i++) {
      double v = w.values[i];
      count++;
      double delta = v - mean.value();
      mean.add(delta / count);
      aux.add(delta * (v - mean.value()));
    }
    return aux.value() / count;
  }
}
