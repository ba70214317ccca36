package dev.sextant.promql.functions;

import java.util.Map;

/**
 * Functions of how a series moves within a window: rate, increase and delta with Prometheus's
 * extrapolation, the instant versions, regression, smoothing, changes and resets.
 */
final class RateFunctions {
  private RateFunctions() {}

  static void register(Map<String, FunctionImpl> r) {
    r.put("rate", fn(2, (w, a) -> extrapolatedRate(w, true, true)));
    r.put("increase", fn(2, (w, a) -> extrapolatedRate(w, true, false)));
    r.put("delta", fn(2, (w, a) -> extrapolatedRate(w, false, false)));
    r.put("irate", fn(2, (w, a) -> instantValue(w, true)));
    r.put("idelta", fn(2, (w, a) -> instantValue(w, false)));
    r.put("deriv", fn(2, (w, a) -> regression(w, w.time(0))[0]));
    r.put(
        "predict_linear",
        fn(
            2,
            (w, a) -> {
              double[] si = regression(w, w.stepTime);
              return si[0] * a[0] + si[1];
            }));
    r.put("holt_winters", fn(2, RateFunctions::holtWinters));
    // NaN to NaN is no change.
    r.put(
        "changes",
        fn(1, (w, a) -> countPairs(w, (p, c) -> c != p && !(Double.isNaN(c) && Double.isNaN(p)))));
    r.put("resets", fn(1, (w, a) -> countPairs(w, (p, c) -> c < p)));
  }

  private interface Body {
    double apply(Window w, double[] args);
  }

  private static RangeFunction fn(int minSamples, Body body) {
    return new RangeFunction() {
      @Override
      public int minSamples() {
        return minSamples;
      }

      @Override
      public double apply(Window w, double[] scalarArgs) {
        return body.apply(w, scalarArgs);
      }
    };
  }

  /**
   * The increase between the first and last sample (counter resets added back), extrapolated
   * towards the range's ends: all the way when the gap to an end is under 1.1 average sample
   * intervals, half an interval otherwise, and never below a counter's zero.
   */
  static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
    int n = w.size();
    double result = w.last() - w.first();
    if (isCounter) {
      double last = 0;
      for (int i = w.from; i < w.to; i++) {
        double v = w.values[i];
        if (v < last) {
          result += last;
        }
        last = v;
      }
    }
    long firstT = w.time(0);
    long lastT = w.time(n - 1);
    double durationToStart = (firstT - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageBetweenSamples = sampledInterval / (n - 1);
    if (isCounter && result > 0 && w.first() >= 0) {
      double durationToZero = sampledInterval * (w.first() / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageBetweenSamples * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
    // One factor, divided by the range first for rates: the operation order decides the last bits.
    double factor = extrapolateTo / sampledInterval;
    if (isRate) {
      factor /= w.rangeMs / 1000.0;
    }
    return result * factor;
  }

  private static double instantValue(Window w, boolean isRate) {
    int n = w.size();
    double last = w.value(n - 1);
    double previous = w.value(n - 2);
    double result = isRate && last < previous ? last : last - previous;
    long interval = w.time(n - 1) - w.time(n - 2);
    if (isRate) {
      result /= interval / 1000.0;
    }
    return result;
  }

  /** Least-squares slope and intercept, x in seconds relative to {@code interceptTime}. */
  private static double[] regression(Window w, long interceptTime) {
    double n = 0;
    KahanSum sumX = new KahanSum();
    KahanSum sumY = new KahanSum();
    KahanSum sumXY = new KahanSum();
    KahanSum sumX2 = new KahanSum();
    double initY = w.first();
    boolean constY = true;
    for (int i = 0; i < w.size(); i++) {
      double v = w.value(i);
      if (constY && i > 0 && v != initY) {
        constY = false;
      }
      n += 1;
      double x = (w.time(i) - interceptTime) / 1e3;
      sumX.add(x);
      sumY.add(v);
      sumXY.add(x * v);
      sumX2.add(x * x);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    double sx = sumX.value();
    double sy = sumY.value();
    double covXY = sumXY.value() - sx * sy / n;
    double varX = sumX2.value() - sx * sx / n;
    double slope = covXY / varX;
    double intercept = sy / n - slope * sx / n;
    return new double[] {slope, intercept};
  }

  private static double holtWinters(Window w, double[] args) {
    double sf = args[0];
    double tf = args[1];
    if (sf <= 0 || sf >= 1) {
      throw new FunctionException(
          "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new FunctionException(
          "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", tf));
    }
    int l = w.size();
    double s0 = 0;
    double s1 = w.value(0);
    double b = w.value(1) - w.value(0);
    for (int i = 1; i < l; i++) {
      double x = sf * w.value(i);
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }

  /** Counts the neighbouring samples (previous, current) for which {@code counted} holds. */
  private static double countPairs(Window w, DoubleBinaryPredicate counted) {
    int n = 0;
    double prev = w.first();
    for (int i = w.from + 1; i < w.to; i++) {
      double cur = w.values[i];
      if (counted.test(prev, cur)) {
        n++;
      }
      prev = cur;
    }
    return n;
  }

  private interface DoubleBinaryPredicate {
    boolean test(double prev, double cur);
  }
}
