package dev.sextant.promql.functions;

import dev.sextant.model.Labels;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
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
          r.set(i, BucketQuantile.of(q[i], bounds.clone(), counts.clone(), k));
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
}
