package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * histogram_quantile over classic histograms: the {@code le} buckets of each label set (the metric
 * name included, so two histograms never mix), interpolated linearly inside the bucket the rank
 * falls in. Native histograms are not supported.
 */
final class HistogramQuantile implements InstantFunction {
  private static final String LE = "le";

  @Override
  public Value apply(
      List<Value> args,
      List<dev.sextant.promql.parser.Expr> exprs,
      dev.sextant.promql.value.Steps steps) {
    double[] q = ((Value.Scalar) args.get(0)).values();
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (StepSeries s : ((Value.Vector) args.get(1)).series()) {
      String le = s.labels().asMap().get(LE);
      Double upper = le == null ? null : GoFormat.parseFloat(le);
      if (upper == null) {
        continue; // no or a malformed bucket label: not a bucket
      }
      TreeMap<String, String> key = new TreeMap<>(s.labels().asMap());
      key.remove(LE);
      Labels signature = Labels.of(key);
      groups.computeIfAbsent(signature, k -> new Group(LabelSets.withoutName(k))).add(upper, s);
    }
    List<StepSeries> out = new ArrayList<>();
    int n = steps.count();
    for (Group g : groups.values()) {
      StepSeries r = new StepSeries(g.labels, n);
      double[] bounds = new double[g.members.size()];
      double[] counts = new double[g.members.size()];
      for (int i = 0; i < n; i++) {
        int k = 0;
        for (int m = 0; m < g.members.size(); m++) {
          StepSeries s = g.members.get(m);
          if (s.has(i)) {
            bounds[k] = g.bounds.get(m);
            counts[k] = s.value(i);
            k++;
          }
        }
        if (k > 0) {
          r.set(i, bucketQuantile(q[i], bounds.clone(), counts.clone(), k));
        }
      }
      out.add(r);
    }
    return new Value.Vector(out);
  }

  private static final class Group {
    final Labels labels;
    final List<StepSeries> members = new ArrayList<>();
    final List<Double> bounds = new ArrayList<>();

    Group(Labels labels) {
      this.labels = labels;
    }

    void add(double upper, StepSeries s) {
      bounds.add(upper);
      members.add(s);
    }
  }

  /**
   * Prometheus's bucketQuantile: buckets sorted by bound, equal bounds merged, counts forced
   * monotonic (float rounding in rates can break that), the +Inf bucket required.
   */
  static double bucketQuantile(double q, double[] bounds, double[] counts, int n) {
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
