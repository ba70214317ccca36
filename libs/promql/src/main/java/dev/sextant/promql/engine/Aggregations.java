package dev.sextant.promql.engine;

import dev.sextant.model.Labels;
import dev.sextant.promql.functions.Quantiles;
import dev.sextant.promql.parser.AggregateExpr;
import dev.sextant.promql.value.GoFormat;
import dev.sextant.promql.value.LabelSets;
import dev.sextant.promql.value.StepSeries;
import dev.sextant.promql.value.Steps;
import dev.sextant.promql.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The aggregation operators. Series are assigned to groups once (their labels do not change between
 * steps); each group is then aggregated step by step with Prometheus's arithmetic (incremental
 * mean, Welford variance, NaN rules of min and max).
 */
final class Aggregations {
  private Aggregations() {}

  static Value.Vector apply(AggregateExpr a, Value.Vector in, Value param, Steps steps) {
    int n = steps.count();
    return switch (a.op()) {
      case TOPK, BOTTOMK -> topBottom(a, in, ((Value.Scalar) param).values(), n);
      case COUNT_VALUES -> countValues(a, in, ((Value.Str) param).value(), n);
      case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, QUANTILE -> {
        double[] q = param == null ? null : ((Value.Scalar) param).values();
        List<StepSeries> out = new ArrayList<>();
        for (Map.Entry<Labels, List<StepSeries>> g : groups(a, in.series()).entrySet()) {
          StepSeries r = new StepSeries(g.getKey(), n);
          for (int i = 0; i < n; i++) {
            aggregateStep(a, g.getValue(), i, q, r);
          }
          if (!r.isEmpty()) {
            out.add(r);
          }
        }
        yield new Value.Vector(out);
      }
    };
  }

  /** The group's labels: the {@code by} labels present, or all but the {@code without} ones. */
  static Labels groupLabels(AggregateExpr a, Labels labels) {
    TreeMap<String, String> m = new TreeMap<>();
    if (a.without()) {
      m.putAll(labels.asMap());
      a.grouping().forEach(m::remove);
      m.remove(LabelSets.METRIC_NAME);
    } else {
      for (String name : a.grouping()) {
        String v = labels.asMap().get(name);
        if (v != null) {
          m.put(name, v);
        }
      }
    }
    return Labels.of(m);
  }

  private static Map<Labels, List<StepSeries>> groups(AggregateExpr a, List<StepSeries> series) {
    Map<Labels, List<StepSeries>> groups = new LinkedHashMap<>();
    for (StepSeries s : series) {
      groups.computeIfAbsent(groupLabels(a, s.labels()), k -> new ArrayList<>()).add(s);
    }
    return groups;
  }

  private static void aggregateStep(
      AggregateExpr a, List<StepSeries> members, int i, double[] q, StepSeries out) {
    int count = 0;
    double value = 0;
    double mean = 0;
    double[] quantileValues = null;
    for (StepSeries s : members) {
      if (!s.has(i)) {
        continue;
      }
      double v = s.value(i);
      count++;
      if (count == 1) {
        value = v;
        mean = v;
        switch (a.op()) {
          case STDDEV, STDVAR -> value = 0;
          case GROUP -> value = 1;
          case QUANTILE -> {
            quantileValues = new double[members.size()];
            quantileValues[0] = v;
          }
          case SUM, AVG, COUNT, MIN, MAX, TOPK, BOTTOMK, COUNT_VALUES -> {}
        }
        continue;
      }
      switch (a.op()) {
        case SUM -> value += v;
        case AVG -> mean = avgStep(mean, v, count);
        case MAX -> {
          if (value < v || Double.isNaN(value)) {
            value = v;
          }
        }
        case MIN -> {
          if (value > v || Double.isNaN(value)) {
            value = v;
          }
        }
        case STDDEV, STDVAR -> {
          double delta = v - mean;
          mean += delta / count;
          value += delta * (v - mean);
        }
        case QUANTILE -> quantileValues[count - 1] = v;
        case COUNT, GROUP, TOPK, BOTTOMK, COUNT_VALUES -> {}
      }
    }
    if (count == 0) {
      return;
    }
    double result =
        switch (a.op()) {
          case SUM, MIN, MAX, GROUP -> value;
          case AVG -> mean;
          case COUNT -> count;
          case STDVAR -> value / count;
          case STDDEV -> Math.sqrt(value / count);
          case QUANTILE -> Quantiles.quantile(q[i], quantileValues, count);
          case TOPK, BOTTOMK, COUNT_VALUES -> throw new IllegalStateException(a.op().text());
        };
    out.set(i, result);
  }

  /**
   * Prometheus's incremental mean: an infinite mean stays unless a NaN or the opposite infinity
   * arrives; each side of the update is divided first so large values do not overflow.
   */
  private static double avgStep(double mean, double v, int count) {
    if (Double.isInfinite(mean)) {
      if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
        return mean;
      }
      if (!Double.isInfinite(v) && !Double.isNaN(v)) {
        return mean;
      }
    }
    return mean + (v / count - mean / count);
  }

  private static Value.Vector topBottom(AggregateExpr a, Value.Vector in, double[] param, int n) {
    boolean top = a.op() == dev.sextant.promql.parser.AggregationOp.TOPK;
    SeriesCollector out = new SeriesCollector(n);
    Map<StepSeries, SeriesCollector.Slot> slots = new java.util.HashMap<>();
    Map<Labels, List<StepSeries>> groups = groups(a, in.series());
    for (int i = 0; i < n; i++) {
      double kf = param[i];
      if (Double.isNaN(kf) || kf > 0x1p63 || kf < -0x1p63) {
        throw PromQLException.execution(
            "Scalar value " + GoFormat.formatFloat(kf) + " overflows int64");
      }
      long k = (long) kf;
      if (k < 1) {
        continue;
      }
      for (List<StepSeries> members : groups.values()) {
        List<StepSeries> present = new ArrayList<>();
        for (StepSeries s : members) {
          if (s.has(i)) {
            present.add(s);
          }
        }
        final int step = i;
        // NaN ranks last either way: topk keeps the largest, bottomk the smallest.
        present.sort(
            (x, y) -> {
              double vx = x.value(step);
              double vy = y.value(step);
              if (Double.isNaN(vx) || Double.isNaN(vy)) {
                return Boolean.compare(Double.isNaN(vx), Double.isNaN(vy));
              }
              return top ? Double.compare(vy, vx) : Double.compare(vx, vy);
            });
        for (int j = 0; j < present.size() && j < k; j++) {
          StepSeries s = present.get(j);
          SeriesCollector.Slot slot = slots.computeIfAbsent(s, x -> out.slot(x.labels()));
          out.set(slot, i, s.value(i));
        }
      }
    }
    return out.result();
  }

  private static Value.Vector countValues(
      AggregateExpr a, Value.Vector in, String valueLabel, int n) {
    if (!LabelSets.isValidName(valueLabel)) {
      throw PromQLException.execution("invalid label name \"" + valueLabel + "\"");
    }
    Map<Labels, double[]> counts = new LinkedHashMap<>();
    for (StepSeries s : in.series()) {
      Map<String, Labels> byValue = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        if (!s.has(i)) {
          continue;
        }
        String value = GoFormat.formatFloat(s.value(i));
        Labels labels =
            byValue.computeIfAbsent(value, v -> countValuesLabels(a, s.labels(), valueLabel, v));
        counts.computeIfAbsent(labels, l -> new double[n])[i]++;
      }
    }
    List<StepSeries> out = new ArrayList<>();
    for (Map.Entry<Labels, double[]> e : counts.entrySet()) {
      StepSeries r = new StepSeries(e.getKey(), n);
      double[] c = e.getValue();
      for (int i = 0; i < n; i++) {
        if (c[i] > 0) {
          r.set(i, c[i]);
        }
      }
      out.add(r);
    }
    return new Value.Vector(out);
  }

  private static Labels countValuesLabels(
      AggregateExpr a, Labels labels, String valueLabel, String value) {
    Labels withValue = LabelSets.with(labels, valueLabel, value);
    if (a.without()) {
      return groupLabels(a, withValue);
    }
    Set<String> keep = new HashSet<>(a.grouping());
    keep.add(valueLabel);
    TreeMap<String, String> m = new TreeMap<>();
    for (Map.Entry<String, String> e : withValue.asMap().entrySet()) {
      if (keep.contains(e.getKey())) {
        m.put(e.getKey(), e.getValue());
      }
    }
    return Labels.of(m);
  }
}
